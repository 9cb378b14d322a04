"""On PostgreSQL the database itself keeps the audit log append-only: a trigger refuses DELETE, and any
UPDATE other than the one Django makes when the acting person or the unit is deleted (their foreign key set
to NULL, every other column unchanged). The model refuses both already (AuditLogIsAppendOnly); the trigger
also stops raw SQL, a second program and a mistaken manual statement. TRUNCATE (test databases' flush, a
DBA emptying a database) is not a row change and stays possible for the table's owner.

SQLite gets no trigger: Django's test flush empties its tables with DELETE."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION accounts_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.unit_id IS NULL OR NEW.unit_id = OLD.unit_id)
       AND (NEW.created_at, NEW.actor_username, NEW.address, NEW.action, NEW.unit_path, NEW.target_type,
            NEW.target_id, NEW.target_repr, NEW.before, NEW.after)
           IS NOT DISTINCT FROM
           (OLD.created_at, OLD.actor_username, OLD.address, OLD.action, OLD.unit_path, OLD.target_type,
            OLD.target_id, OLD.target_repr, OLD.before, OLD.after)
    THEN
        RETURN NEW;  -- a deleted person or unit: the event keeps its names, loses the link
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of accounts_auditevent % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_unit_is_active_and_audit_actions")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
