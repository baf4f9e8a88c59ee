// Migration 007: the stage history a rollback reads, in a table of its own. Which version a
// rollback restores was read back from audit_log.details_json ({"previous": ...}), so the audit
// log's free-form details were state the registry depended on. Each promotion (a rollback is the
// promotion of an earlier version) now keeps the production version it replaced here; the audit
// log stays the record for people. Existing promote and rollback entries are copied in their order.
export default /* sql */ `
CREATE TABLE model_promotions (
  id                INTEGER PRIMARY KEY,
  at                TEXT NOT NULL,
  -- by name, as the audit log names them: the replaced version may since have been deleted
  version           TEXT NOT NULL,
  action            TEXT NOT NULL CHECK (action IN ('promote', 'rollback')),
  -- the production version this promotion replaced; NULL when the target had none
  previous_version  TEXT
) STRICT;
CREATE INDEX model_promotions_version ON model_promotions (version, id);

CREATE TRIGGER model_promotions_append_only_update BEFORE UPDATE ON model_promotions
BEGIN SELECT RAISE(ABORT, 'model_promotions is append-only'); END;
CREATE TRIGGER model_promotions_append_only_delete BEFORE DELETE ON model_promotions
BEGIN SELECT RAISE(ABORT, 'model_promotions is append-only'); END;

INSERT INTO model_promotions (at, version, action, previous_version)
SELECT at, entity_id, action,
       CASE WHEN json_valid(details_json) THEN json_extract(details_json, '$.previous') END
  FROM audit_log
 WHERE entity_type = 'model' AND action IN ('promote', 'rollback') AND entity_id IS NOT NULL
 ORDER BY id;
`
