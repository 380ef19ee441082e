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

        // 2: money once. What was synced is keyed by the HaloPSA client it was written for (a re-map is a first sync
        // for the new client); HaloPSA's own ids are kept in links as the first key; events carry everything needed
        // to finish them after a lost answer or a killed run. Rows of organizations without a client cannot be
        // attributed and are left out: the next sync finds their records by key.
        """
        CREATE TABLE synced_subscriptions_v2 (
            organization_id  TEXT NOT NULL,
            halo_client_id   INTEGER NOT NULL,
            subscription_id  TEXT NOT NULL,
            sku              TEXT NOT NULL,
            product_name     TEXT NOT NULL,
            halo_item_id     INTEGER,
            quantity         INTEGER NOT NULL,
            billing_cycle    TEXT NOT NULL,     -- SubscriptionBillingCycle name
            term             TEXT,
            purchase_date    TEXT,
            term_end_date    TEXT,
            unit_price       TEXT,
            unit_cost        TEXT,
            cost_provisional INTEGER NOT NULL DEFAULT 0,
            line_start       TEXT,
            cancelled_on     TEXT,
            synced_at        TEXT NOT NULL,
            PRIMARY KEY (organization_id, halo_client_id, subscription_id)
        );
        INSERT INTO synced_subscriptions_v2 (organization_id, halo_client_id, subscription_id, sku, product_name, quantity, billing_cycle, term,
            purchase_date, term_end_date, unit_cost, cost_provisional, cancelled_on, synced_at)
        SELECT s.organization_id, o.halo_client_id, s.subscription_id, s.sku, s.product_name, s.quantity, s.billing_cycle, s.term,
            s.purchase_date, s.term_end_date, s.unit_cost, s.cost_provisional, s.cancelled_on, s.synced_at
        FROM synced_subscriptions s JOIN organizations o ON o.cumulus_id = s.organization_id
        WHERE o.halo_client_id IS NOT NULL;
        DROP TABLE synced_subscriptions;
        ALTER TABLE synced_subscriptions_v2 RENAME TO synced_subscriptions;

        ALTER TABLE synced_charges ADD COLUMN halo_client_id INTEGER;

        DROP TABLE links;
        CREATE TABLE links (
            halo_client_id INTEGER NOT NULL,
            cumulus_key    TEXT NOT NULL,     -- 'sub-<id>', 'chg-...', or 'invoice' for the client's HaloSync recurring invoice
            entity         TEXT NOT NULL,     -- HaloEntity name: 'SoftwareLicence', 'RecurringInvoice', 'InvoiceLine'
            halo_id        INTEGER NOT NULL,
            parent_id      INTEGER,           -- the recurring invoice of a line
            updated_at     TEXT NOT NULL,
            PRIMARY KEY (halo_client_id, cumulus_key, entity)
        );

        ALTER TABLE events ADD COLUMN halo_client_id INTEGER;
        ALTER TABLE events ADD COLUMN halo_item_id INTEGER;
        ALTER TABLE events ADD COLUMN billing_cycle TEXT;
        ALTER TABLE events ADD COLUMN cost_provisional INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE events ADD COLUMN line_start TEXT;
        ALTER TABLE events ADD COLUMN line_end TEXT;
        ALTER TABLE events ADD COLUMN prorata_date TEXT;
        ALTER TABLE events ADD COLUMN prorata_quantity TEXT;
        ALTER TABLE events ADD COLUMN prorata_unit_price TEXT;
        ALTER TABLE events ADD COLUMN prorata_unit_cost TEXT;
        ALTER TABLE events ADD COLUMN prorata_days INTEGER;
        ALTER TABLE events ADD COLUMN prorata_description TEXT;
        CREATE INDEX events_by_key ON events (cumulus_key);
        UPDATE events SET status = 'Superseded',
            error = COALESCE(error || ' ', '') || '(Closed by the upgrade of the state file: the next sync plans this change again from the last synced state.)'
        WHERE status IN ('Pending', 'Failed');
        UPDATE runs SET status = 'Abandoned' WHERE status = 'Running';
        """,

        // 3: migration from a legacy integration. One row per organization and client whose cutover finished: the
        // legacy records it ended are named by the events of its run (run_id) in the event log.
        """
        CREATE TABLE migrations (
            organization_id     TEXT NOT NULL,
            halo_client_id      INTEGER NOT NULL,
            organization_name   TEXT NOT NULL,
            cutover_on          TEXT NOT NULL,     -- the calendar date the legacy records ended
            completed_at        TEXT NOT NULL,
            run_id              TEXT NOT NULL,
            legacy_monthly      TEXT NOT NULL,     -- what the legacy lines billed per period, before the cutover
            halosync_monthly    TEXT NOT NULL,     -- what HaloSync's lines bill per period
            deactivated         INTEGER NOT NULL,  -- legacy subscriptions set inactive
            ended_invoices      INTEGER NOT NULL,  -- legacy recurring invoices disabled with an end date
            removed_invoices    INTEGER NOT NULL,  -- legacy recurring invoices deleted (-RemoveLegacyInvoice)
            PRIMARY KEY (organization_id, halo_client_id)
        );
        """,

        // 4: the billing period a pro-rata entry was computed for (events written before read back without one).
        """
        ALTER TABLE events ADD COLUMN prorata_period_start TEXT;
        ALTER TABLE events ADD COLUMN prorata_period_end TEXT;
        """,

        // 5: what a one-off charge's line bills at and until when, so a new item price reaches it while it is still to be
        // invoiced. Charges added before take them from the event that added them.
        """
        ALTER TABLE synced_charges ADD COLUMN halo_item_id INTEGER;
        ALTER TABLE synced_charges ADD COLUMN unit_price TEXT;
        ALTER TABLE synced_charges ADD COLUMN line_end TEXT;
        UPDATE synced_charges SET
            halo_item_id = (SELECT e.halo_item_id FROM events e WHERE e.cumulus_key = synced_charges.charge_key AND e.halo_client_id = synced_charges.halo_client_id
                AND e.kind IN ('AddCharge', 'Adopt') AND e.status = 'Success' ORDER BY e.event_id DESC LIMIT 1),
            unit_price = (SELECT e.unit_price FROM events e WHERE e.cumulus_key = synced_charges.charge_key AND e.halo_client_id = synced_charges.halo_client_id
                AND e.kind IN ('AddCharge', 'Adopt') AND e.status = 'Success' ORDER BY e.event_id DESC LIMIT 1),
            line_end = (SELECT e.line_end FROM events e WHERE e.cumulus_key = synced_charges.charge_key AND e.halo_client_id = synced_charges.halo_client_id
                AND e.kind IN ('AddCharge', 'Adopt') AND e.status = 'Success' ORDER BY e.event_id DESC LIMIT 1);
        """,

        // 6: organizations Sherweb listed with no subscription while HaloSync kept some active: cancelled only when the
        // next run finds the list empty too, from the day it was first found so.
        """
        CREATE TABLE listed_empty (
            organization_id TEXT PRIMARY KEY,
            since           TEXT NOT NULL      -- the calendar date of the run that first found the list empty
        );
        """,

        // 7: the invoice date on which HaloPSA bills a pro-rata entry a run wrote, so a line deleted by hand is recreated with
        // the entries HaloPSA had not invoiced yet. Entries written before carry none, and are not written again.
        """
        ALTER TABLE events ADD COLUMN prorata_billed_by TEXT;
        """,

        // 8: the client an organization's first sync was with, so an organization unmapped and mapped back to that client
        // resumes with its first-sync date, and mapped to another starts over there.
        """
        ALTER TABLE organizations ADD COLUMN first_synced_client INTEGER;
        UPDATE organizations SET first_synced_client = COALESCE(halo_client_id,
            (SELECT s.halo_client_id FROM synced_subscriptions s WHERE s.organization_id = organizations.cumulus_id ORDER BY s.synced_at DESC LIMIT 1))
        WHERE first_synced_on IS NOT NULL;
        """,
    };

    public static int LatestVersion => Migrations.Length;
}
