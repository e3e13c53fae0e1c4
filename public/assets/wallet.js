/*
 * Sign-In with Ethereum on Tessera's pages: asks the browser's wallet (EIP-1193,
 * window.ethereum) for its address and chain, gets a message to sign from Tessera
 * (EIP-4361, one-time nonce), has the wallet sign it (personal_sign) and sends it back.
 * Plain script, no bundler, no inline code (the pages' Content-Security-Policy allows
 * scripts from this site only). Elements opt in with data-wallet-* attributes.
 */
(function () {
  "use strict";

  var noWallet =
    "No Ethereum wallet was found in this browser. Install a wallet extension (such as MetaMask or Rabby) or open this page in your wallet app's browser, then try again.";

  function say(container, text, isError) {
    var status = container.querySelector("[data-wallet-status]");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function refusal(code, text) {
    var error = new Error(text);
    error.code = code;
    return error;
  }

  /** The message as personal_sign takes it: UTF-8 bytes in hex. */
  function toHex(text) {
    var bytes = new TextEncoder().encode(text);
    var hex = "0x";
    for (var i = 0; i < bytes.length; i += 1) hex += bytes[i].toString(16).padStart(2, "0");
    return hex;
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw refusal(data.error || "server_error", data.error_description || "Tessera could not answer. Try again later.");
        return data;
      });
    });
  }

  /** Asks the wallet to sign a fresh challenge from `challengeUrl`: answers { message, signature }. */
  function signChallenge(challengeUrl, container) {
    var wallet = window.ethereum;
    if (!wallet || typeof wallet.request !== "function") return Promise.reject(refusal("no_wallet", noWallet));
    var address;
    say(container, "Waiting for your wallet: allow this site to see your address.");
    return wallet
      .request({ method: "eth_requestAccounts" })
      .then(function (accounts) {
        if (!accounts || !accounts.length) throw refusal("no_account", "Your wallet shared no address. Unlock it, choose an account and try again.");
        address = accounts[0];
        return wallet.request({ method: "eth_chainId" });
      })
      .then(function (chainId) {
        return postJson(challengeUrl, { address: address, chainId: parseInt(chainId, 16) });
      })
      .then(function (challenge) {
        say(container, "Waiting for your wallet: sign the message to prove the address is yours.");
        return wallet.request({ method: "personal_sign", params: [toHex(challenge.message), address] }).then(function (signature) {
          return { message: challenge.message, signature: signature };
        });
      });
  }

  function explain(error) {
    // EIP-1193 §"Provider Errors": 4001 is the user saying no in the wallet.
    if (error && error.code === 4001) return "You declined in your wallet, so nothing happened. Try again when you are ready.";
    return (error && error.message) || "Something went wrong with the wallet. Try again.";
  }

  /** Only ever follow a redirect to this site (it is the sign-in's own next step). */
  function follow(url) {
    var target = new URL(url, window.location.href);
    if (target.origin !== window.location.origin) throw refusal("server_error", "Tessera answered with an unexpected address.");
    window.location.assign(target.href);
  }

  function busy(button, on) {
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  document.querySelectorAll("[data-wallet-sign-in]").forEach(function (button) {
    var container = button.closest("section") || document.body;
    button.addEventListener("click", function () {
      busy(button, true);
      signChallenge(button.dataset.challenge, container)
        .then(function (signed) {
          say(container, "Signing you in…");
          return postJson(button.dataset.signIn, signed);
        })
        .then(function (answer) { follow(answer.redirect_url); })
        .catch(function (error) {
          say(container, explain(error), true);
          busy(button, false);
        });
    });
  });

  document.querySelectorAll("form[data-wallet-sign-up]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.elements.message.value) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      busy(button, true);
      signChallenge(form.dataset.challenge, form)
        .then(function (signed) {
          say(form, "Creating your account…");
          form.elements.message.value = signed.message;
          form.elements.signature.value = signed.signature;
          form.submit();
        })
        .catch(function (error) {
          say(form, explain(error), true);
          busy(button, false);
        });
    });
  });

  document.querySelectorAll("[data-wallet-link]").forEach(function (button) {
    var container = button.closest("section") || document.body;
    button.addEventListener("click", function () {
      busy(button, true);
      signChallenge(button.dataset.challenge, container)
        .then(function (signed) { return postJson(button.dataset.link, signed); })
        .then(function (answer) { follow(answer.redirect_url); })
        .catch(function (error) {
          say(container, explain(error), true);
          busy(button, false);
        });
    });
  });
})();
