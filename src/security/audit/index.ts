/** The audit trail: the in-transaction recorder, reading it back, its purge, and the security notices by mail. */
export { auditedTypes, recordAuditTrail, type AuditedType } from "./recorder.js";
export { createAuditRepository, type AuditFilter, type AuditNames, type AuditRecord, type AuditRepository } from "./repository.js";
export { browserSummary, describeAuditRecord } from "./describe.js";
export { recentActivityCount, securityActivity, type SecurityActivity, type SecurityActivityItem } from "./activity.js";
export { purgeAuditRecords, purgeAuditRecordsHandler } from "./purge.js";
export { subscribeSecurityNotices, type NoticeAccounts } from "./notices.js";
