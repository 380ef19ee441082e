using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Reconciliation;

/// <summary>
/// The pure half of Compare-HaloBilling: Sherweb's payable charges of a period (what the MSP pays), attributed to
/// organizations, against the HaloPSA lines that bill them (the recurring-invoice lines, or the lines of the invoices
/// dated in the period), one row per organization, product and charge cycle, with a status that names the leak. It reads
/// and writes nothing. The rules are in docs/design-decisions.md, section "Reconciliation".
/// </summary>
public static class BillingComparer
{
    private static readonly ChargeCycle[] LegacyPreference = { ChargeCycle.Monthly, ChargeCycle.Yearly, ChargeCycle.OneOff };

    public static BillingComparisonSummary Compare(BillingComparisonInput input) => new Comparison(input).Run();

    /// <summary>
    /// The HaloPSA client whose lines bill an organization: its mapped client, else (mapping removed) the client the sync
    /// last wrote its subscriptions to, whose records keep billing until someone ends them.
    /// </summary>
    public static int? ClientOf(OrganizationMapping? mapping, IEnumerable<SyncedSubscription> snapshotOfOrganization)
        => mapping?.HaloClientId ?? snapshotOfOrganization.Where(s => !s.Cancelled).Select(s => (int?)s.HaloClientId).FirstOrDefault();

    private static ChargeCycle CycleOf(PayableCharge charge)
        => charge.IsOneOff ? ChargeCycle.OneOff : charge.BillingCycleType == BillingCycleType.Yearly ? ChargeCycle.Yearly : ChargeCycle.Monthly;

    private static ChargeCycle CycleOf(CumulusSubscription subscription)
        => subscription.BillingCycle == SubscriptionBillingCycle.Yearly ? ChargeCycle.Yearly : ChargeCycle.Monthly;

    private static string Amount(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "none";

    private static string Count(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Ids(IEnumerable<BilledLine> lines) => string.Join(", ", lines.Select(l => l.Id.ToString(CultureInfo.InvariantCulture)).Distinct());

    /// <summary>An organization the report covers, and the client that bills it.</summary>
    private sealed record Organization(string Id, string Name, OrganizationMapping? Mapping, int? ClientId);

    /// <summary>A row's identity: organization (or "?" and the tagged name), SKU (case-insensitive) and cycle.</summary>
    private readonly record struct RowKey(string Organization, string Sku, ChargeCycle Cycle)
    {
        public static RowKey Of(string organization, string sku, ChargeCycle cycle) => new(organization, sku.ToUpperInvariant(), cycle);
    }

    /// <summary>One HaloPSA line as the comparison sees it: whose it is (HaloSync's key, or null for legacy) and what it bills.</summary>
    /// <param name="InvoiceDate">The date of the generated invoice it is on; null for a recurring-invoice line.</param>
    private sealed record BilledLine(int Id, string? Key, int? ItemId, decimal Quantity, decimal UnitPrice, bool IsProRata, bool Active, string Where, DateTime? InvoiceDate = null)
    {
        public decimal Amount => Money.Cents(Quantity * UnitPrice);

        public bool IsHaloSync => Key is not null;
    }

    /// <summary>The lines one source (recurring-invoice lines or invoice lines) has for a row.</summary>
    private sealed class LineSet
    {
        public List<BilledLine> Billing { get; } = new();

        /// <summary>HaloSync lines for a subscription Cumulus no longer lists.</summary>
        public List<BilledLine> Orphans { get; } = new();

        /// <summary>HaloSync lines for the row that are ended or inactive.</summary>
        public List<BilledLine> Ended { get; } = new();
    }

    private sealed class Row
    {
        public Row(RowKey key, Organization? organization, string label, string sku, string productName, ChargeCycle cycle)
        {
            Key = key;
            Organization = organization;
            Label = label;
            Sku = sku;
            ProductName = productName;
            Cycle = cycle;
        }

        public RowKey Key { get; }

        /// <summary>Null for a charge no customer could be found for.</summary>
        public Organization? Organization { get; }

        public string Label { get; }

        public string Sku { get; }

        public string ProductName { get; }

        public ChargeCycle Cycle { get; }

        public List<PayableCharge> Charges { get; } = new();

        public string? HaloClient { get; set; }

        public Dictionary<BillingSource, LineSet> Lines { get; } = new() { [BillingSource.Scheduled] = new LineSet(), [BillingSource.Invoiced] = new LineSet() };
    }

    private sealed class Comparison
    {
        private readonly BillingComparisonInput input;
        private readonly HaloSyncOwnership ownership;
        private readonly Dictionary<RowKey, Row> rows = new();
        private readonly Dictionary<string, Organization> organizations = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (Organization Organization, CumulusSubscription Subscription)> listed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (Organization Organization, PayableCharge Charge)> periodCharges = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ProductMapping> products;
        private readonly ILookup<int, string> skusByItem;
        private readonly Dictionary<Guid, SyncedSubscription> snapshot = new();

        public Comparison(BillingComparisonInput input)
        {
            this.input = input;
            ownership = new HaloSyncOwnership(input.Links);
            products = input.Products.GroupBy(p => Normalize(p.Sku), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            skusByItem = input.Products.Where(p => p.HaloItemId is not null).ToLookup(p => p.HaloItemId!.Value, p => Normalize(p.Sku));
            foreach (var row in input.Snapshot)
            {
                if (!snapshot.TryGetValue(row.SubscriptionId, out var known) || (known.Cancelled && !row.Cancelled))
                {
                    snapshot[row.SubscriptionId] = row;
                }
            }
        }

        private DateTime PeriodFrom => input.Payable.PeriodFrom.Date;

        private DateTime PeriodTo => input.Payable.PeriodTo.Date;

        public BillingComparisonSummary Run()
        {
            AddOrganizations();
            AddCharges();
            foreach (var pair in input.Clients.OrderBy(c => c.Key))
            {
                AddLines(pair.Key, pair.Value);
            }

            var compared = rows.Values.Select(Finish)
                .OrderBy(r => r.Organization, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Sku, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Cycle)
                .ToList();
            return Summarize(compared);
        }

        private void AddOrganizations()
        {
            var mappings = input.Organizations.ToDictionary(o => o.OrganizationId, StringComparer.OrdinalIgnoreCase);
            var snapshotByOrganization = input.Snapshot.ToLookup(s => s.OrganizationId, StringComparer.OrdinalIgnoreCase);
            foreach (var customer in input.Customers.Where(c => input.Scope is null || input.Scope.Contains(c.Id)))
            {
                var id = customer.Id.ToString("D");
                mappings.TryGetValue(id, out var mapping);
                var organization = new Organization(id, customer.DisplayName, mapping, ClientOf(mapping, snapshotByOrganization[id]));
                organizations[id] = organization;
                if (input.Subscriptions.TryGetValue(id, out var subscriptions))
                {
                    foreach (var subscription in subscriptions)
                    {
                        listed[HaloKeys.Subscription(subscription.Id)] = (organization, subscription);
                    }
                }
            }
        }

        private void AddCharges()
        {
            var attributed = ChargeAttribution.ByCustomer(input.Payable.Charges, input.Customers);
            foreach (var pair in attributed)
            {
                if (!organizations.TryGetValue(pair.Key.ToString("D"), out var organization))
                {
                    continue;
                }

                foreach (var charge in pair.Value)
                {
                    var sku = Normalize(charge.Sku);
                    var row = RowFor(organization, sku, CycleOf(charge), charge.ProductName, create: true)!;
                    row.Charges.Add(charge);
                    periodCharges[ChargeIdentity.Of(charge, organization.Id).Key] = (organization, charge);
                }
            }

            if (input.Scope is not null)
            {
                return;
            }

            var seen = new HashSet<PayableCharge>(attributed.Values.SelectMany(c => c));
            foreach (var charge in input.Payable.Charges.Where(c => !seen.Contains(c)))
            {
                var tagged = ChargeAttribution.Attribute(charge, input.Customers).TaggedDisplayName?.Trim();
                var label = string.IsNullOrEmpty(tagged) ? "(no customer tag)" : tagged!;
                var sku = Normalize(charge.Sku);
                var key = RowKey.Of("?" + label, sku, CycleOf(charge));
                if (!rows.TryGetValue(key, out var row))
                {
                    rows[key] = row = new Row(key, null, label, sku, charge.ProductName ?? sku, key.Cycle);
                }

                row.Charges.Add(charge);
            }
        }

        private Row? RowFor(Organization organization, string sku, ChargeCycle cycle, string? productName, bool create)
        {
            var key = RowKey.Of(organization.Id, sku, cycle);
            if (!rows.TryGetValue(key, out var row) && create)
            {
                rows[key] = row = new Row(key, organization, organization.Name, sku, productName ?? sku, cycle);
            }

            return row;
        }

        /// <summary>Every line HaloPSA holds for a client, placed on the row of the product it bills (or left out when it bills none).</summary>
        private void AddLines(int clientId, ClientBilling billing)
        {
            var recurring = new Dictionary<int, HaloInvoiceLine>();
            var licenceSeats = billing.Licences.Where(l => l.IsActive ?? true).ToDictionary(l => l.Id, l => (decimal)(l.Count ?? 0));
            foreach (var invoice in billing.RecurringInvoices)
            {
                foreach (var line in invoice.Lines ?? new List<HaloInvoiceLine>())
                {
                    recurring[line.Id] = line;
                    var key = ownership.LineKey(clientId, line);
                    var active = !(line.IsInactive ?? false) && !(invoice.Disabled ?? false)
                                 && (IsCharge(key) || ((line.StartDate is null || line.StartDate.Value.Date <= PeriodTo) && (line.EndDate is null || line.EndDate.Value.Date >= PeriodFrom)));
                    Place(BillingSource.Scheduled, clientId, invoice.ClientName,
                        new BilledLine(line.Id, key, line.ItemId, line.SeatsBilled(licenceSeats), line.UnitPrice ?? 0m, false, active, $"recurring invoice {invoice.Id}"));
                }
            }

            if (input.Source != BillingSource.Invoiced)
            {
                return;
            }

            foreach (var invoice in billing.Invoices)
            {
                var inPeriod = invoice.InvoiceDate?.Date <= PeriodTo;
                foreach (var line in invoice.Lines ?? new List<HaloInvoiceLine>())
                {
                    // An invoice line is whatever the recurring line it was generated from is.
                    var source = line.RecurringInvoiceLineId is { } sourceId && recurring.TryGetValue(sourceId, out var found) ? found : line;
                    var key = ownership.LineKey(clientId, source);
                    Place(BillingSource.Invoiced, clientId, null, new BilledLine(line.Id, key, source.ItemId ?? line.ItemId, line.Quantity ?? 0m, line.UnitPrice ?? 0m,
                        line.ProRataLineId is > 0, inPeriod || IsCharge(key), $"invoice {invoice.Id}", invoice.InvoiceDate?.Date));
                }
            }
        }

        private static bool IsCharge(string? key) => key?.StartsWith("chg-", StringComparison.Ordinal) == true;

        private void Place(BillingSource source, int clientId, string? clientName, BilledLine line)
        {
            Row? row;
            if (line.Key is { } key && key.StartsWith("sub-", StringComparison.Ordinal))
            {
                if (listed.TryGetValue(key, out var subscription))
                {
                    row = RowFor(subscription.Organization, Normalize(subscription.Subscription.Sku), CycleOf(subscription.Subscription), subscription.Subscription.ProductName, create: line.Active);
                    Add(row, source, line, clientName, orphan: false);
                }
                else if (line.IsProRata || BilledBeforeItEnded(key, line))
                {
                    // The credit of its cancellation, or an invoice generated while Sherweb still listed it: billing of the period.
                    Add(OrphanRow(key, clientId, line), source, line, clientName, orphan: false);
                }
                else if (line.Active)
                {
                    Add(OrphanRow(key, clientId, line), source, line, clientName, orphan: true);
                }

                return;
            }

            if (line.Key is { } chargeKey)
            {
                if (periodCharges.TryGetValue(chargeKey, out var charge))
                {
                    Add(RowFor(charge.Organization, Normalize(charge.Charge.Sku), ChargeCycle.OneOff, null, create: false), source, line, clientName, orphan: false);
                }

                return;
            }

            if (line.Active)
            {
                Add(LegacyRow(clientId, line.ItemId), source, line, clientName, orphan: false);
            }
        }

        /// <summary>An invoice line of a subscription generated before the sync ended it (its cancellation date).</summary>
        private bool BilledBeforeItEnded(string key, BilledLine line)
            => line.InvoiceDate is { } billed && Guid.TryParse(key.Substring("sub-".Length), out var id) && snapshot.TryGetValue(id, out var synced)
               && synced.CancelledOn is { } ended && billed < ended;

        private static void Add(Row? row, BillingSource source, BilledLine line, string? clientName, bool orphan)
        {
            if (row is null)
            {
                return;
            }

            var set = row.Lines[source];
            (orphan ? set.Orphans : line.Active ? set.Billing : set.Ended).Add(line);
            row.HaloClient ??= clientName;
        }

        /// <summary>
        /// The row of a subscription Cumulus no longer lists: its organization and product as the sync last wrote them; none
        /// when that organization is not in the report (-Organization: another organization billed on the same client).
        /// </summary>
        private Row? OrphanRow(string key, int clientId, BilledLine line)
        {
            if (Guid.TryParse(key.Substring("sub-".Length), out var subscriptionId) && snapshot.TryGetValue(subscriptionId, out var synced))
            {
                return organizations.TryGetValue(synced.OrganizationId, out var owner)
                    ? RowFor(owner, Normalize(synced.Sku), ChargeCycle.Monthly, synced.ProductName, create: true)
                    : null;
            }

            var organization = organizations.Values.Where(o => o.ClientId == clientId).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            var sku = line.ItemId is { } itemId ? skusByItem[itemId].FirstOrDefault() : null;
            return organization is null || sku is null ? null : RowFor(organization, sku, ChargeCycle.Monthly, null, create: true);
        }

        /// <summary>
        /// A legacy line bills the product its item is mapped to, for an organization of its client that Sherweb charges for
        /// that product in the period (monthly seats first, then yearly, then one-off charges); otherwise it is not compared.
        /// </summary>
        private Row? LegacyRow(int clientId, int? itemId)
        {
            if (itemId is null)
            {
                return null;
            }

            var candidates = organizations.Values.Where(o => o.ClientId == clientId).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ToList();
            return LegacyPreference
                .SelectMany(cycle => candidates.SelectMany(o => skusByItem[itemId.Value].Select(sku => RowKey.Of(o.Id, sku, cycle))))
                .Select(key => rows.TryGetValue(key, out var row) ? row : null)
                .FirstOrDefault(row => row is not null && row.Charges.Count > 0);
        }

        private BillingComparison Finish(Row row)
        {
            var lines = row.Lines[input.Source];
            var billing = lines.Billing.Concat(lines.Orphans).ToList();
            var seats = billing.Where(l => !l.IsProRata).ToList();
            var sherwebQuantity = Plain(row.Charges.Sum(c => c.BilledQuantity));
            var cost = Money.Cents(row.Charges.Sum(c => ChargeCost.PeriodCost(c, input.Settings.CostBasis)));
            var latest = row.Charges.OrderByDescending(c => c.PeriodFrom).ThenByDescending(c => Math.Abs(c.Quantity)).FirstOrDefault();
            // One-off charges of a SKU each have their own price: a unit costs what they cost together, per unit.
            decimal? unitCost = row.Cycle == ChargeCycle.OneOff && sherwebQuantity != 0m ? Money.RoundUnit(cost / sherwebQuantity)
                : latest is null ? null : ChargeCost.BilledUnitCost(latest, input.Settings.CostBasis);
            var haloQuantity = Plain(seats.Sum(l => l.Quantity));
            var lineTotal = Money.Cents(billing.Sum(l => l.Amount));
            var unitPrice = UnitPrice(seats, haloQuantity);
            var (status, reason, detail) = Judge(row, lines, seats, sherwebQuantity, haloQuantity, unitCost, unitPrice);
            var leakage = status switch
            {
                BillingStatus.Unbilled => Math.Max(0m, cost),
                BillingStatus.QuantityMismatch when haloQuantity < sherwebQuantity && unitCost is { } c => Money.Cents((sherwebQuantity - haloQuantity) * c),
                BillingStatus.NegativeMargin => Money.Cents(Math.Max(0m, (unitCost!.Value - unitPrice!.Value) * haloQuantity)),
                _ => 0m,
            };
            var mapping = row.Organization?.Mapping;
            return new BillingComparison
            {
                Organization = row.Label,
                OrganizationId = row.Organization?.Id ?? string.Empty,
                Sku = row.Sku,
                ProductName = row.ProductName,
                Cycle = row.Cycle,
                Status = status,
                Reason = reason,
                SherwebQuantity = sherwebQuantity,
                SherwebCost = cost,
                UnitCost = unitCost,
                HaloQuantity = haloQuantity,
                UnitPrice = unitPrice,
                LineTotal = lineTotal,
                Margin = Money.Cents(lineTotal - cost),
                Leakage = Money.Cents(leakage),
                HaloClientId = row.Organization?.ClientId,
                HaloClient = mapping?.HaloClientName ?? row.HaloClient,
                HaloSyncLines = seats.Count(l => l.IsHaloSync),
                LegacyLines = seats.Count(l => !l.IsHaloSync),
                Detail = detail,
                PeriodFrom = PeriodFrom,
                PeriodTo = PeriodTo,
                Source = input.Source,
            };
        }

        /// <summary>The lines' price when they agree, else the average over their seats (4 decimals); null without lines.</summary>
        private static decimal? UnitPrice(List<BilledLine> seats, decimal quantity)
        {
            var prices = seats.Select(l => l.UnitPrice).Distinct().ToList();
            return prices.Count switch
            {
                0 => null,
                1 => prices[0],
                _ when quantity != 0m => Money.RoundUnit(seats.Sum(l => l.Amount) / quantity),
                _ => null,
            };
        }

        private (BillingStatus, UnbilledReason?, string) Judge(Row row, LineSet lines, List<BilledLine> seats, decimal sherwebQuantity, decimal haloQuantity,
            decimal? unitCost, decimal? unitPrice)
        {
            if (lines.Orphans.Count > 0)
            {
                var keys = string.Join(", ", lines.Orphans.Select(l => l.Key).Distinct());
                return (BillingStatus.Orphan, null,
                    $"HaloSync line(s) {Ids(lines.Orphans)} still bill {Count(lines.Orphans.Where(l => !l.IsProRata).Sum(l => l.Quantity))} for {keys}, which Cumulus no longer lists.");
            }

            if (seats.Count == 0)
            {
                if (row.Charges.Count == 0 && lines.Billing.Count > 0 && lines.Billing.All(l => l.IsProRata))
                {
                    return (BillingStatus.Ok, null,
                        $"Only pro-rata line(s) {Ids(lines.Billing)}: the adjustment of a change charged in an earlier period (a cancellation's credit, say).");
                }

                // One-off charges that add up to no units (a charge and a credit) still cost what they cost.
                return sherwebQuantity == 0m && row.Charges.Count > 0 && row.Cycle != ChargeCycle.OneOff
                    ? (BillingStatus.Ok, null, "No seats left at the period end: it ended in the period, and no line bills it any more.")
                    : Unbilled(row);
            }

            if (seats.Any(l => l.IsHaloSync) && seats.Any(l => !l.IsHaloSync))
            {
                return (BillingStatus.DoubleBilled, null,
                    $"Billed twice: HaloSync line(s) {Ids(seats.Where(l => l.IsHaloSync))} and legacy line(s) {Ids(seats.Where(l => !l.IsHaloSync))} " +
                    $"({string.Join(", ", seats.Where(l => !l.IsHaloSync).Select(l => l.Where).Distinct())}) bill {Count(haloQuantity)} for {Count(sherwebQuantity)} charged.");
            }

            if (haloQuantity != sherwebQuantity)
            {
                return (BillingStatus.QuantityMismatch, null,
                    $"Sherweb charges {Count(sherwebQuantity)} at the period end; HaloPSA line(s) {Ids(seats)} bill {Count(haloQuantity)}.");
            }

            // Below cost on what is billed: for a credit (negative units) passing on less than Sherweb credits is a margin, not a loss.
            if (unitCost is { } cost && unitPrice is { } price && (price - cost) * haloQuantity < 0m)
            {
                return (BillingStatus.NegativeMargin, null, $"The unit price {Amount(price)} is below Sherweb's unit cost {Amount(cost)} (line(s) {Ids(seats)}).");
            }

            return (BillingStatus.Ok, null, $"Billed as charged by line(s) {Ids(seats)}.");
        }

        /// <summary>Why nothing bills a row Sherweb charges: the first of the reasons, in the order of <see cref="UnbilledReason"/>.</summary>
        private (BillingStatus, UnbilledReason?, string) Unbilled(Row row)
        {
            (BillingStatus, UnbilledReason?, string) Because(UnbilledReason reason, string detail) => (BillingStatus.Unbilled, reason, detail);

            if (row.Organization is not { } organization)
            {
                return Because(UnbilledReason.Unattributed, $"Sherweb's charge names no known customer (tagged '{row.Label}'), so no HaloPSA client bills it.");
            }

            var mapping = organization.Mapping;
            if (mapping?.HaloClientId is null)
            {
                return Because(UnbilledReason.OrganizationUnmapped, $"{organization.Name} is not mapped to a HaloPSA client: Set-HaloOrgMapping.");
            }

            var scheduled = row.Lines[BillingSource.Scheduled].Billing;
            if (input.Source == BillingSource.Invoiced && scheduled.Count > 0)
            {
                return Because(UnbilledReason.NotInvoiced,
                    FormattableString.Invariant($"Line(s) {Ids(scheduled)} of a recurring invoice bill it, but no invoice dated {PeriodFrom:yyyy-MM-dd} to {PeriodTo:yyyy-MM-dd} was generated from them."));
            }

            if (row.Cycle == ChargeCycle.Yearly)
            {
                return Because(UnbilledReason.YearlyNotInvoiced,
                    "A yearly subscription: HaloSync keeps its HaloPSA subscription but makes no recurring-invoice line, so invoice it by hand.");
            }

            products.TryGetValue(row.Sku, out var product);
            if (product?.HaloItemId is null)
            {
                return Because(UnbilledReason.ProductUnmapped,
                    product?.Error is { } error ? $"Not mapped: {error}" : $"{row.Sku} is not mapped to a HaloPSA item: Set-HaloProductMapping.");
            }

            if (SyncPlanner.IsReservedInstance(row.ProductName))
            {
                return Because(UnbilledReason.ReservedInstance, "An Azure reserved instance: HaloSync leaves these alone until they are supported.");
            }

            if (!input.Settings.SyncEnabled)
            {
                return Because(UnbilledReason.SyncDisabled, "Sync is off: Set-HaloSyncConfiguration -SyncEnabled $true.");
            }

            if (mapping.Status == OrganizationMappingStatus.Disabled)
            {
                return Because(UnbilledReason.OrganizationSyncOff, $"Sync is off for {organization.Name}: Set-HaloOrgMapping -SyncEnabled.");
            }

            if (product.Status == ProductMappingStatus.Disabled)
            {
                return Because(UnbilledReason.ProductSyncOff, $"Sync is off for {row.Sku}: Set-HaloProductMapping -SyncEnabled.");
            }

            var keys = KeysOf(row, organization);
            var flags = input.ChargeFlags.TryGetValue(organization.Id, out var found) ? found : new Dictionary<string, bool>();
            if (keys.FirstOrDefault(k => flags.TryGetValue(k, out var on) && !on) is { } off)
            {
                return Because(UnbilledReason.ChargeSyncOff, $"{off} is switched off: Set-CumulusChargeSync -SyncEnabled.");
            }

            if (input.FailedEvents.Where(e => e.CumulusKey is not null && keys.Contains(e.CumulusKey)).OrderByDescending(e => e.CreatedAt).FirstOrDefault() is { } failed)
            {
                return Because(UnbilledReason.SyncFailed, $"The sync failed to bill {failed.CumulusKey} (event {failed.EventId}, {failed.Kind}): {failed.Error}");
            }

            var ended = row.Lines[BillingSource.Scheduled].Ended;
            if (ended.Count > 0)
            {
                return Because(UnbilledReason.LineEnded, $"HaloSync's line(s) {Ids(ended)} for it are ended or inactive in HaloPSA.");
            }

            return Because(UnbilledReason.NotSynced, "Mapped and switched on, but no sync has billed it yet: Invoke-HaloSync.");
        }

        /// <summary>The Cumulus keys the sync bills a row under: its subscriptions', or its one-off charges'.</summary>
        private HashSet<string> KeysOf(Row row, Organization organization)
            => row.Cycle == ChargeCycle.OneOff
                ? new HashSet<string>(row.Charges.Select(c => ChargeIdentity.Of(c, organization.Id).Key), StringComparer.Ordinal)
                : new HashSet<string>(listed.Where(p => p.Value.Organization == organization && CycleOf(p.Value.Subscription) == row.Cycle
                                                        && RowKey.Of(organization.Id, Normalize(p.Value.Subscription.Sku), row.Cycle) == row.Key).Select(p => p.Key), StringComparer.Ordinal);

        private BillingComparisonSummary Summarize(List<BillingComparison> compared)
        {
            int Counted(BillingStatus status) => compared.Count(r => r.Status == status);
            return new BillingComparisonSummary
            {
                PeriodFrom = PeriodFrom,
                PeriodTo = PeriodTo,
                Source = input.Source,
                Cost = Money.Cents(compared.Sum(r => r.SherwebCost)),
                Billed = Money.Cents(compared.Sum(r => r.LineTotal)),
                Margin = Money.Cents(compared.Sum(r => r.Margin)),
                Leakage = Money.Cents(compared.Sum(r => r.Leakage)),
                Ok = Counted(BillingStatus.Ok),
                Unbilled = Counted(BillingStatus.Unbilled),
                QuantityMismatch = Counted(BillingStatus.QuantityMismatch),
                NegativeMargin = Counted(BillingStatus.NegativeMargin),
                DoubleBilled = Counted(BillingStatus.DoubleBilled),
                Orphan = Counted(BillingStatus.Orphan),
                ByOrganization = compared.GroupBy(r => (r.OrganizationId, r.Organization)).Select(g => new OrganizationBillingTotal
                {
                    Organization = g.Key.Organization,
                    OrganizationId = g.Key.OrganizationId,
                    HaloClient = g.Select(r => r.HaloClient).FirstOrDefault(c => c is not null),
                    Products = g.Count(),
                    Issues = g.Count(r => r.Status != BillingStatus.Ok),
                    Cost = Money.Cents(g.Sum(r => r.SherwebCost)),
                    Billed = Money.Cents(g.Sum(r => r.LineTotal)),
                    Margin = Money.Cents(g.Sum(r => r.Margin)),
                    Leakage = Money.Cents(g.Sum(r => r.Leakage)),
                }).ToList(),
                Rows = compared,
            };
        }

        private static string Normalize(string? sku) => (sku ?? string.Empty).Trim();

        /// <summary>A quantity without trailing zeros (HaloPSA sends 10.0).</summary>
        private static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;
    }
}
