export { checksummed, shortAddress } from "./address.js";
export { WalletError, walletRefusals, type WalletRefusal } from "./errors.js";
export { walletAccountPanel, walletAccountPaths } from "./http/account-panel.js";
export { purgeWalletChallenges, purgeWalletChallengesHandler } from "./purge.js";
export { createWalletRepository, type LinkedWallet, type WalletRepository } from "./repository.js";
export { createWalletService, unlinkAllWallets, bindings, type SignedMessage, type SignUpFields, type WalletService } from "./service.js";
export { signatureCheck, type SignatureCheck } from "./signature.js";
