namespace HaloSync.Engine.State;

/// <summary>
/// The state database's schema as an ordered list of migrations. Migration N brings a database from
/// version N-1 to N; released migrations are never edited, only new ones appended.
/// </summary>
internal static class StateSchema
{
    public static readonly string[] Migrations =
    {
        // 1: the foundation. Money is stored as invariant-culture decimal text so no value is rounded by REAL.
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE connections (
            service    TEXT PRIMARY KEY,   -- 'HaloPSA' or 'Cumulus'
            base_uri   TEXT NOT NULL,
            client_id  TEXT NOT NULL,
            tenant     TEXT,
            scope      TEXT,
            updated_at TEXT NOT NULL       -- never a secret or a token
        );

        CREATE TABLE products (
            sku               TEXT PRIMARY KEY COLLATE NOCASE,
            name              TEXT NOT NULL,
            halo_item_id      INTEGER,
            halo_item_name    TEXT,
            mapping_source    TEXT,             -- 'Manual' or 'Automatic'; the status is derived from these columns
            sync_enabled      INTEGER NOT NULL DEFAULT 0,
            error             TEXT,             -- why automatic mapping could not choose
            first_seen_at     TEXT NOT NULL,
            last_seen_at      TEXT NOT NULL,
            updated_at        TEXT NOT NULL
        );

        CREATE TABLE organizations (
            cumulus_id        TEXT PRIMARY KEY,
            name              TEXT NOT NULL,
            halo_client_id    INTEGER,
            halo_client_name  TEXT,
            sync_enabled      INTEGER NOT NULL DEFAULT 0,
            first_synced_on   TEXT,
            updated_at        TEXT NOT NULL
        );

        CREATE TABLE charge_sync_flags (
            organization_id TEXT NOT NULL,
            charge_key      TEXT NOT NULL,   -- a subscription id or a charge identity
            sync_enabled    INTEGER NOT NULL,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (organization_id, charge_key)
        );

        CREATE TABLE synced_subscriptions (
            organization_id  TEXT NOT NULL,
            subscription_id  TEXT NOT NULL,
            sku              TEXT NOT NULL,
            product_name     TEXT NOT NULL,
            quantity         INTEGER NOT NULL,
            billing_cycle    TEXT NOT NULL,
            term             TEXT,
            purchase_date    TEXT,
            term_end_date    TEXT,
            unit_cost        TEXT,
            cost_provisional INTEGER NOT NULL DEFAULT 0,
            cancelled_on     TEXT,
            synced_at        TEXT NOT NULL,
            PRIMARY KEY (organization_id, subscription_id)
        );

        CREATE TABLE synced_charges (
            charge_key       TEXT PRIMARY KEY,
            organization_id  TEXT NOT NULL,
            sku              TEXT NOT NULL,
            quantity         TEXT NOT NULL,
            unit_cost        TEXT NOT NULL,
            period_from      TEXT,
            period_to        TEXT,
            synced_at        TEXT NOT NULL
        );

        CREATE TABLE links (
            cumulus_key  TEXT NOT NULL,     -- e.g. 'sub:<id>', 'org:<id>', 'charge:<key>'
            entity       TEXT NOT NULL,     -- 'SoftwareLicence', 'RecurringInvoice', 'InvoiceLine'
            halo_id      INTEGER NOT NULL,
            parent_id    INTEGER,           -- e.g. the recurring invoice of a line
            created_at   TEXT NOT NULL,
            PRIMARY KEY (cumulus_key, entity)
        );

        CREATE TABLE runs (
            run_id       TEXT PRIMARY KEY,
            started_at   TEXT NOT NULL,
            finished_at  TEXT,
            as_of        TEXT NOT NULL,
            status       TEXT NOT NULL,     -- 'Running', 'Completed', 'Failed'
            summary      TEXT
        );

        CREATE TABLE events (
            event_id          INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id            TEXT NOT NULL,
            created_at        TEXT NOT NULL,
            updated_at        TEXT NOT NULL,
            organization_id   TEXT,
            organization_name TEXT,
            sku               TEXT,
            product_name      TEXT,
            kind              TEXT NOT NULL,
            entity            TEXT,
            halo_id           INTEGER,
            invoice_id        INTEGER,
            quantity_before   TEXT,
            quantity_after    TEXT,
            unit_price        TEXT,
            unit_cost         TEXT,
            effective_date    TEXT,
            cumulus_key       TEXT,
            status            TEXT NOT NULL,   -- 'Pending', 'Success', 'Failed'
            attempts          INTEGER NOT NULL DEFAULT 0,
            error             TEXT,
            detail            TEXT
        );
        CREATE INDEX events_by_run ON events (run_id);
        CREATE INDEX events_by_status ON events (status);
        CREATE INDEX events_by_org ON events (organization_id, created_at);

        CREATE TABLE halo_catalog (
            kind         TEXT NOT NULL,     -- 'Client' or 'Item'
            id           INTEGER NOT NULL,
            name         TEXT NOT NULL,
            payload      TEXT NOT NULL,     -- the record as HaloPSA returned it (JSON)
            refreshed_at TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE INDEX halo_catalog_by_name ON halo_catalog (kind, name COLLATE NOCASE);

        CREATE TABLE halo_catalog_reads (
            kind         TEXT PRIMARY KEY,  -- when each list was last read, even if it was empty
            refreshed_at TEXT NOT NULL
        );

        CREATE TABLE run_lease (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            run_id      TEXT NOT NULL,
            holder      TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            expires_at  TEXT NOT NULL
        );
        """,
    };

    public static int LatestVersion => Migrations.Length;
}
