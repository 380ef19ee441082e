using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;
using Xunit.Abstractions;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Money once, under faults nobody chose: two identical accounts (settings drawn with the seed) live through the same
/// three months of Sherweb changes (seat changes, cancellations, purchases, usage charges, two changes in one day), the
/// same admin actions (seats edited by hand in HaloPSA, Fabrikam mapped to another client and back, its mapping removed
/// and made again, Business Premium mapped to another item and back, the state file lost and set up again as it was
/// or, while Fabrikam bills to another client, as first mapped) and the same HaloPSA invoice generations, one in calm
/// weather, the other with random faults on both APIs before each run (5xx, 429 with and without Retry-After, dropped
/// connections, expired tokens, and writes carried out whose answer is lost as a 5xx, a drop or a timeout) and, now
/// and then, the process killed at a save. The stormy account reruns the day's sync until it succeeds, as a runbook's
/// next run would. Every invoice HaloPSA generates, and every record HaloSync keeps there,
/// must come out the same in both: a fault may cost requests, never money. Each seed is a different script; a failure
/// names the seed and the step.
/// </summary>
public sealed class FaultSoakTests
{
    private const string BundleItem = "M365 BP (bundle)";

    private static readonly Regex Marker = new(@"\s*\[halosync:[^\]]*\]", RegexOptions.CultureInvariant);

    private readonly ITestOutputHelper output;
    private readonly List<string> errorTexts = new();

    public FaultSoakTests(ITestOutputHelper output) => this.output = output;

    private static readonly int[] InvoiceDayChoices = { 15, 1, 28 };
    private static readonly string[] TimeZones = { "UTC", "America/Toronto", "Europe/Paris" };

    /// <summary>Seeds whose scripts re-map an organization on an invoice day HaloPSA generates early: without the fix for it, they failed.</summary>
    private static readonly int[] ReMapOnInvoiceDaySeeds = { 26, 48, 77 };

    /// <summary>
    /// Seeds whose scripts lose the state file while Fabrikam bills to Holdings and set it up on its own client, then kill
    /// the run after it ended the Holdings licences: the rerun must still end their lines. Without the fix for it, they failed.
    /// </summary>
    private static readonly int[] LostStateElsewhereSeeds = { 114, 115 };

    /// <summary>
    /// Each seed with its account's settings: both billing methods, three invoice days and time zones, proration mostly on
    /// (always, with the seeds that pin the re-map on an invoice day, for HaloPSA generating mid-storm).
    /// </summary>
    public static TheoryData<int, BillingMethod, int, string, bool> Seeds(bool generateMidStorm)
    {
        var seeds = new TheoryData<int, BillingMethod, int, string, bool>();
        var prorationAlways = generateMidStorm;
        foreach (var seed in Enumerable.Range(1, 16).Concat(LostStateElsewhereSeeds).Concat(generateMidStorm ? ReMapOnInvoiceDaySeeds : Array.Empty<int>()))
        {
            seeds.Add(seed, seed % 2 == 0 ? BillingMethod.PostBill : BillingMethod.PreBill, InvoiceDayChoices[seed / 2 % 3], TimeZones[seed / 3 % 3], prorationAlways || seed % 4 != 3);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds), false)]
    public Task Random_faults_cost_requests_never_money(int seed, BillingMethod method, int invoiceDay, string timeZone, bool proration)
        => LiveThroughStormAsync(seed, method, invoiceDay, timeZone, proration, generateMidStorm: false);

    /// <summary>
    /// The same lives, except that on an invoice day whose first stormy attempt fails, HaloPSA generates its invoices
    /// before the rerun (the calm account's run came first): what that invoice bills may move to the next one, so each
    /// client's total over the four invoices must be the same, and the records HaloSync keeps, their dates and pro-rata
    /// entries aside. Proration is on (without it, what an invoice bills depends on when HaloPSA generates, by design),
    /// and HaloPSA does not generate early on a day the admin edited seats by hand, mapped a product to another item,
    /// lost the state file or mapped an organization again (the run sets those without pro-rata, so HaloPSA would bill
    /// the edit, the old item's price or the quantities it held, for that period).
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds), true)]
    public Task HaloPSA_generating_between_a_failed_run_and_its_rerun_moves_money_between_invoices_never_changes_the_total(
        int seed, BillingMethod method, int invoiceDay, string timeZone, bool proration)
        => LiveThroughStormAsync(seed, method, invoiceDay, timeZone, proration, generateMidStorm: true);

    private async Task LiveThroughStormAsync(int seed, BillingMethod method, int invoiceDay, string timeZone, bool proration, bool generateMidStorm)
    {
        var script = Script.Write(seed, invoiceDay);
        void Settings(SyncConfiguration s) => (s.BillingMethod, s.InvoiceDay, s.TimeZone, s.Proration) = (method, invoiceDay, timeZone, proration);
        await using var calm = await AccountAsync(Settings);
        await using var stormy = await AccountAsync(Settings);
        var weather = new Random(seed * 7919);
        var calmInvoices = new List<SimInvoice>();
        var stormyInvoices = new List<SimInvoice>();
        var generatedEarly = new HashSet<DateTime>();
        var faultsInjected = 0;

        for (var i = 0; i < script.Steps.Count; i++)
        {
            var step = script.Steps[i];
            output.WriteLine(step.ToString());
            await step.ApplyAsync(calm);
            await step.ApplyAsync(stormy);
            if (step.Generate is { } generation)
            {
                calmInvoices.AddRange(calm.Halo.Store.GenerateInvoices(generation));
                if (!generatedEarly.Remove(generation))
                {
                    stormyInvoices.AddRange(stormy.Halo.Store.GenerateInvoices(generation));
                }

                continue;
            }

            var summary = await calm.SyncAsync(step.Day);
            Assert.True(summary.Failed == 0, $"seed {seed}, {step}: the calm account failed: {string.Join("; ", calm.Failures.Select(f => f.Error.Message))}");
            var generatedToday = i > 0 && script.Steps[i - 1].Generate == step.Day;
            if (generatedToday)
            {
                // HaloPSA's scheduler runs again later that day: a recurring invoice the run created for today is generated too.
                calmInvoices.AddRange(calm.GenerateDueInvoices(step.Day));
            }

            Action? generateBetween = generateMidStorm && i + 1 < script.Steps.Count && script.Steps[i + 1].Generate == step.Day && !step.Changes.Any(c => c.SetWithoutProRata)
                ? () =>
                {
                    output.WriteLine("  stormy: HaloPSA generates its invoices before the rerun");
                    generatedEarly.Add(step.Day);
                    stormyInvoices.AddRange(stormy.Halo.Store.GenerateInvoices(step.Day));
                }
                : null;
            faultsInjected += await SyncThroughStormAsync(stormy, step, weather, seed, generateBetween);
            if (generatedToday || generatedEarly.Contains(step.Day))
            {
                stormyInvoices.AddRange(stormy.GenerateDueInvoices(step.Day));
            }
        }

        Assert.True(faultsInjected > 0, $"seed {seed}: no fault was injected");
        Assert.NotEmpty(calmInvoices);
        AssertActiveKeysUnique(calm);
        AssertActiveKeysUnique(stormy);
        if (generateMidStorm)
        {
            output.WriteLine("calm:\n  " + string.Join("\n  ", Texts(calmInvoices)) + "\nstormy:\n  " + string.Join("\n  ", Texts(stormyInvoices)));
            Assert.Equal(Totals(calmInvoices), Totals(stormyInvoices));
            Assert.Equal(Records(calm, exact: false), Records(stormy, exact: false));
        }
        else
        {
            Assert.Equal(Texts(calmInvoices), Texts(stormyInvoices));
            Assert.Equal(Records(calm, exact: true), Records(stormy, exact: true));
        }

        Assert.DoesNotContain(stormy.Log(), e => e.Status is SyncEventStatus.Failed or SyncEventStatus.Pending);
        AssertNoSecretLeft(stormy, errorTexts);
        var (calmRequests, stormyRequests) = (Requests(calm), Requests(stormy));
        output.WriteLine($"{faultsInjected} faults; requests to HaloPSA and Sherweb: calm {calmRequests}, stormy {stormyRequests}");
        Assert.True(stormyRequests > calmRequests, $"seed {seed}: the faults cost no request, so none of them struck");
    }

    /// <summary>What each client was billed over all the invoices (a client billed 0.00 in all is left out, invoiced or not).</summary>
    private static List<string> Totals(IEnumerable<SimInvoice> invoices)
        => invoices.GroupBy(i => i.ClientId).OrderBy(g => g.Key)
            .Select(g => (Client: g.Key, Total: g.SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Sum(l => l.NetAmount ?? 0m)))
            .Where(t => t.Total != 0m)
            .Select(t => FormattableString.Invariant($"client {t.Client}: {t.Total}"))
            .ToList();

    private static int Requests(SyncTestBed bed) => bed.Halo.Requests.Snapshot().Count + bed.Sherweb.Requests.Snapshot().Count;

    /// <summary>Whatever failed on the way, no secret or token reached the state file, a verbose line or an error text.</summary>
    private static void AssertNoSecretLeft(SyncTestBed bed, IEnumerable<string> errorTexts)
    {
        var secrets = new[] { HaloPsaSimulator.DefaultClientSecret, SherwebSampleData.ClientSecret, SherwebSampleData.SubscriptionKey }
            .Concat(bed.Halo.Tokens.Issued.Select(t => t.Value))
            .Concat(bed.Sherweb.Tokens.Issued.Select(t => t.Value))
            .ToList();
        var files = new[] { string.Empty, "-wal" }.Select(suffix => bed.StatePath + suffix).Where(System.IO.File.Exists)
            .Select(path => System.Text.Encoding.Latin1.GetString(System.IO.File.ReadAllBytes(path)));
        var texts = files.Concat(bed.Verbose).Concat(errorTexts).Concat(bed.Log().Select(e => e.Detail ?? string.Empty)).ToList();
        Assert.True(secrets.Count > 3, "no token was issued");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Runs the day's sync with random faults until a run succeeds (the last attempts in calm weather), calling
    /// <paramref name="afterFailure"/> once after the first attempt that fails; returns the faults injected.
    /// </summary>
    private async Task<int> SyncThroughStormAsync(SyncTestBed bed, Step step, Random weather, int seed, Action? afterFailure)
    {
        var injected = 0;
        var outcomes = new List<string>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            if (attempt <= 3)
            {
                injected += Storm.Inject(bed, weather);
            }
            else
            {
                bed.Halo.Faults.Clear();
                bed.Sherweb.Faults.Clear();
            }

            bed.Failures.Clear();
            // A day HaloPSA may generate between the first attempt and its rerun: that attempt dies at its first save.
            var killer = attempt <= 3 ? Storm.Killer(bed, weather, certain: afterFailure is not null) : null;
            try
            {
                var summary = await bed.SyncAsync(step.Day, killer);
                if (summary.Failed == 0)
                {
                    output.WriteLine($"  stormy: succeeded at attempt {attempt}");
                    bed.Halo.Faults.Clear();
                    bed.Sherweb.Faults.Clear();
                    return injected;
                }

                errorTexts.AddRange(bed.Failures.Select(f => f.Error.ToString()));
                outcomes.Add($"attempt {attempt}: {summary.Failed} failed ({string.Join("; ", bed.Failures.Select(f => f.Error.ErrorId).Distinct())})");
            }
            catch (HaloSyncException ex)
            {
                errorTexts.Add(ex.ToString());
                outcomes.Add($"attempt {attempt}: stopped, {ex.ErrorId}");
            }
            catch (OperationCanceledException ex) when (ex.Message == Storm.Killed)
            {
                outcomes.Add($"attempt {attempt}: killed {killer!.Calls[^1]}");
            }

            output.WriteLine("  stormy: " + outcomes[^1]);
            afterFailure?.Invoke();
            afterFailure = null;
        }

        throw new Xunit.Sdk.XunitException($"seed {seed}, {step}: the stormy account did not succeed in calm weather: {string.Join(" | ", outcomes)}");
    }

    private static async Task<SyncTestBed> AccountAsync(Action<SyncConfiguration> settings)
    {
        var bed = await SyncTestBed.StartAsync(settings, requestTimeout: TimeSpan.FromSeconds(1));
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
        bed.Halo.Store.AddItem(new SimItem { Name = BundleItem, Baseprice = 32.00m });
        return bed;
    }

    /// <summary>HaloPSA's invoices, one text per line: what each client is billed, item by item, markers left out.</summary>
    private static List<string> Texts(IEnumerable<SimInvoice> invoices)
        => invoices
            .SelectMany(i => (i.Lines ?? new List<SimInvoiceLine>()).Select(l =>
                FormattableString.Invariant($"{i.InvoiceDate:yyyy-MM-dd} client {i.ClientId} item {l.ItemId} {l.QtyOrder} x {l.UnitPrice} = {l.NetAmount} '{Unmarked(l.ItemShortdescription)}' '{Unmarked(l.ItemLongdescription)}'")))
            .OrderBy(t => t, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Every subscription and recurring-invoice line HaloPSA holds, as text, without HaloPSA's own ids; unless
    /// <paramref name="exact"/>, without the lines' dates and pro-rata entries.
    /// </summary>
    private static List<string> Records(SyncTestBed bed, bool exact)
    {
        var licences = bed.Halo.Store.Licences.Select(l => FormattableString.Invariant(
            $"licence {l.Snowid} client {l.ClientId} item {l.ItemId} count {l.Count} active {l.IsActive} {l.StartDate:yyyy-MM-dd}..{l.EndDate:yyyy-MM-dd} price {l.Price} cost {l.PurchasePrice}/{l.MonthlyCost} cycle {l.BillingCycle}"));
        var lines = bed.Halo.Store.RecurringInvoices.SelectMany(r => (r.Lines ?? new List<SimInvoiceLine>()).Select(l => FormattableString.Invariant(
            $"line client {r.ClientId} next {r.Nextcreationdate:yyyy-MM-dd} item {l.ItemId} {l.QtyOrder} x {l.UnitPrice} (cost {l.UnitCost}) inactive {l.Isinactive} '{Unmarked(l.ItemLongdescription)}'{(exact ? LineDetail(l) : string.Empty)}")));
        return licences.Concat(lines).OrderBy(t => t, StringComparer.Ordinal).ToList();
    }

    /// <summary>No subscription is billed by two active HaloPSA subscriptions (an ended one on an old client may share its key).</summary>
    private static void AssertActiveKeysUnique(SyncTestBed bed)
    {
        var keys = bed.Halo.Store.Licences.Where(l => l.IsActive == true).Select(l => l.Snowid).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    private static string LineDetail(SimInvoiceLine line)
        => FormattableString.Invariant($" {line.Startdate:yyyy-MM-dd}..{line.Enddate:yyyy-MM-dd} pro-rata [{string.Join(", ", (line.ProrataData ?? new List<SimProRata>())
            .Select(p => FormattableString.Invariant($"{p.Date:yyyy-MM-dd} {p.Quantity} x {p.Unitprice} invoiced {p.Isinvoiced}")).OrderBy(t => t, StringComparer.Ordinal))}]");

    private static string Unmarked(string? text) => Marker.Replace(text ?? string.Empty, string.Empty);

    /// <summary>One day of the script: what changed in Sherweb or what the admin did, then either HaloPSA's invoice generation or a sync.</summary>
    private sealed record Step(DateTime Day, IReadOnlyList<Change> Changes, DateTime? Generate = null)
    {
        public async Task ApplyAsync(SyncTestBed bed)
        {
            bed.Today(Day);
            foreach (var change in Changes)
            {
                await change.Apply(bed);
            }
        }

        public override string ToString()
            => Generate is { } day
                ? FormattableString.Invariant($"{day:yyyy-MM-dd}: HaloPSA generates its invoices")
                : FormattableString.Invariant($"{Day:yyyy-MM-dd}: sync after [{string.Join(", ", Changes)}]");
    }

    /// <param name="SetWithoutProRata">
    /// The run sets it in HaloPSA with no pro-rata (a hand edit set back, an item change, what a run after a lost state file
    /// adopts or creates as a first sync), so an invoice generated before the run bills what HaloPSA held.
    /// </param>
    private sealed record Change(string Text, Func<SyncTestBed, Task> Apply, bool SetWithoutProRata = false)
    {
        public static Change InSherweb(string text, Action<SherwebSimulator> change) => new(text, bed =>
        {
            change(bed.Sherweb);
            return Task.CompletedTask;
        });

        public override string ToString() => Text;
    }

    /// <summary>Three months of an account's life, drawn from the seed: which days a sync runs and what Sherweb changed before it.</summary>
    private sealed class Script
    {
        private static readonly (Guid Customer, string Sku)[] Purchasable =
        {
            (SherwebSampleData.Contoso, SherwebSampleData.BusinessPremiumSku),
            (SherwebSampleData.Fabrikam, SherwebSampleData.BusinessPremiumSku),
            (SherwebSampleData.Fabrikam, SherwebSampleData.ExchangeSku),
        };

        private readonly Random random;
        private readonly Dictionary<Guid, int> seats = new()
        {
            [SherwebSampleData.ContosoBusinessPremium] = 10,
            [SherwebSampleData.ContosoExchangeYearly] = 5,
            [SherwebSampleData.FabrikamBusinessPremium] = 3,
        };

        private readonly Dictionary<Guid, string> names = new()
        {
            [SherwebSampleData.ContosoBusinessPremium] = "Contoso Business Premium",
            [SherwebSampleData.ContosoExchangeYearly] = "Contoso Exchange (yearly)",
            [SherwebSampleData.FabrikamBusinessPremium] = "Fabrikam Business Premium",
            [SherwebSampleData.Contoso] = "Contoso",
            [SherwebSampleData.Fabrikam] = "Fabrikam",
        };

        private bool fabrikamAtHoldings;
        private int lossesAtHoldings;
        private bool premiumOnBundle;

        /// <summary>Draws for the actions added later (a mapping removed and made again), apart, so the scripts' other draws stay as they were for every seed.</summary>
        private readonly Random later;
        private bool fabrikamUnmapped;

        private Script(Random random, Random later) => (this.random, this.later) = (random, later);

        public List<Step> Steps { get; } = new();

        /// <summary>The script, with HaloPSA generating on the four invoice days after the first sync (the last after every sync).</summary>
        public static Script Write(int seed, int invoiceDay)
        {
            var random = new Random(seed);
            var firstInvoiceDay = Enumerable.Range(1, 31).Select(d => SyncTestBed.FirstSync.AddDays(d)).First(d => d.Day == invoiceDay);
            var invoiceDays = Enumerable.Range(0, 4).Select(m => firstInvoiceDay.AddMonths(m)).ToList();
            var script = new Script(random, new Random(seed * 31 + 7));
            script.Steps.Add(new Step(SyncTestBed.FirstSync, Array.Empty<Change>()));
            var days = Enumerable.Range(1, 96).Select(d => SyncTestBed.FirstSync.AddDays(d))
                .OrderBy(_ => random.Next()).Take(9)
                .Concat(invoiceDays.Take(2))
                .Distinct().OrderBy(d => d).ToList();
            var pending = new Queue<DateTime>(invoiceDays);
            foreach (var day in days)
            {
                while (pending.Count > 0 && pending.Peek() < day)
                {
                    script.Steps.Add(new Step(pending.Peek(), Array.Empty<Change>(), pending.Dequeue()));
                }

                var generateFirst = pending.Count > 0 && pending.Peek() == day && random.Next(2) == 0;
                if (generateFirst)
                {
                    script.Steps.Add(new Step(day, Array.Empty<Change>(), pending.Dequeue()));
                }

                script.Steps.Add(new Step(day, script.ChangesOn(day)));
            }

            while (pending.Count > 0)
            {
                script.Steps.Add(new Step(pending.Peek(), Array.Empty<Change>(), pending.Dequeue()));
            }

            return script;
        }

        private List<Change> ChangesOn(DateTime day)
        {
            var changes = new List<Change>();
            // One change of mappings a day: a re-map, or a lost state file set up as it was or as first mapped (while
            // Fabrikam bills to Holdings: a re-map the run finds by HaloSync's keys).
            var mappingTouched = false;
            var count = random.Next(0, 4);
            for (var i = 0; i < count; i++)
            {
                var roll = random.Next(106);
                var active = seats.Where(s => s.Value > 0).Select(s => s.Key).OrderBy(id => id).ToList();
                if (roll < 55 && active.Count > 0)
                {
                    var id = active[random.Next(active.Count)];
                    var quantity = seats[id] + (random.Next(2) == 0 ? -1 : 1) * random.Next(1, 4);
                    if (quantity >= 1)
                    {
                        seats[id] = quantity;
                        changes.Add(Change.InSherweb(FormattableString.Invariant($"{Short(id)} -> {quantity}"), s => s.ChangeQuantity(id, quantity, day)));
                    }
                }
                else if (roll < 65 && active.Count > 1)
                {
                    var id = active[random.Next(active.Count)];
                    seats[id] = 0;
                    changes.Add(Change.InSherweb($"{Short(id)} cancelled", s => s.Cancel(id, day)));
                }
                else if (roll < 85)
                {
                    var (customer, sku) = Purchasable[random.Next(Purchasable.Length)];
                    var id = new Guid(random.Next(), 0, 0, new byte[8]);
                    var quantity = random.Next(1, 6);
                    var bought = new DateTimeOffset(day.AddHours(random.Next(0, 10)), TimeSpan.Zero);
                    seats[id] = quantity;
                    names[id] = FormattableString.Invariant($"{Short(customer)} {sku} #{names.Count - 4}");
                    changes.Add(Change.InSherweb(FormattableString.Invariant($"{Short(id)} bought: {quantity}"),
                        s => s.State.Purchase(customer, sku, quantity, bought, subscriptionId: id)));
                }
                else if (roll < 93)
                {
                    var chargeId = new Guid(random.Next(), 1, 0, new byte[8]);
                    var customer = random.Next(2) == 0 ? SherwebSampleData.Contoso : SherwebSampleData.Fabrikam;
                    var used = Math.Round((decimal)random.Next(100, 50000) / 100m, 2);
                    var month = new DateTime(day.Year, day.Month, 1).AddMonths(-1);
                    changes.Add(Change.InSherweb(FormattableString.Invariant($"Azure {used} for {Short(customer)}"), s => s.AddCharge(new SherwebExtraCharge
                    {
                        ChargeId = chargeId, CustomerId = customer, Sku = SherwebSampleData.AzureSku, PeriodFrom = month,
                        PeriodTo = month.AddMonths(1).AddDays(-1), Quantity = 1m, UnitListPrice = used, BilledOn = day,
                    })));
                }
                else if (roll < 97)
                {
                    changes.Add(new Change("seats edited by hand in HaloPSA", EditByHandAsync, SetWithoutProRata: true));
                }
                else if (roll < 100 && !mappingTouched)
                {
                    mappingTouched = true;
                    fabrikamAtHoldings = !fabrikamAtHoldings;
                    fabrikamUnmapped = false;
                    var toHoldings = fabrikamAtHoldings;
                    changes.Add(new Change(toHoldings ? "Fabrikam mapped to Contoso Holdings" : "Fabrikam mapped back to Fabrikam, Inc.",
                        bed =>
                        {
                            bed.MapOrganization(SherwebSampleData.Fabrikam, toHoldings ? bed.HoldingsClient : bed.FabrikamClient);
                            return Task.CompletedTask;
                        }));
                }
                else if (roll < 103)
                {
                    premiumOnBundle = !premiumOnBundle;
                    var toBundle = premiumOnBundle;
                    changes.Add(new Change(toBundle ? "Business Premium mapped to the bundle item" : "Business Premium mapped back to its item",
                        bed =>
                        {
                            MapPremium(bed, toBundle ? BundleItem : "M365 Business Premium");
                            return Task.CompletedTask;
                        },
                        SetWithoutProRata: true));
                }
                else if (roll >= 103 && !mappingTouched)
                {
                    mappingTouched = true;
                    // Every other loss while Fabrikam bills to Holdings sets it up as first mapped (no random draw: seeds keep their scripts).
                    var asFirstSetUp = fabrikamAtHoldings && lossesAtHoldings++ % 2 == 0;
                    fabrikamAtHoldings &= !asFirstSetUp;
                    fabrikamUnmapped &= !asFirstSetUp;
                    var (atHoldings, onBundle, unmapped) = (fabrikamAtHoldings, premiumOnBundle, fabrikamUnmapped);
                    changes.Add(new Change(asFirstSetUp ? "state file lost and set up again as first mapped (Fabrikam on its own client)" : "state file lost and set up again as it was", bed =>
                    {
                        bed.LoseStateFile();
                        if (atHoldings || unmapped)
                        {
                            bed.MapOrganization(SherwebSampleData.Fabrikam, unmapped ? null : bed.HoldingsClient);
                        }

                        if (onBundle)
                        {
                            MapPremium(bed, BundleItem);
                        }

                        return Task.CompletedTask;
                    },
                    SetWithoutProRata: true));
                }
            }

            if (!mappingTouched && later.Next(10) == 0)
            {
                // Remove-HaloOrgMapping, and later Set-HaloOrgMapping to the client it had: what Sherweb changed meanwhile is
                // billed from that day, its purchases as a first sync (without pro-rata).
                fabrikamUnmapped = !fabrikamUnmapped;
                var (unmap, atHoldings) = (fabrikamUnmapped, fabrikamAtHoldings);
                changes.Add(new Change(unmap ? "Fabrikam's mapping removed" : "Fabrikam mapped again to the client it had", bed =>
                {
                    bed.MapOrganization(SherwebSampleData.Fabrikam, unmap ? null : atHoldings ? bed.HoldingsClient : bed.FabrikamClient);
                    return Task.CompletedTask;
                },
                SetWithoutProRata: !unmap));
            }

            return changes;
        }

        /// <summary>What Set-HaloProductMapping does: Business Premium sold as the HaloPSA item of that name.</summary>
        private static void MapPremium(SyncTestBed bed, string itemName)
        {
            var item = bed.Halo.Store.Items.Single(i => i.Name == itemName);
            bed.WithStore(store =>
            {
                var mappings = new MappingRepository(store);
                // A new state file knows the product once Sherweb has been read (Get-CumulusProduct, or a run).
                mappings.RecordSeenProducts(new Dictionary<string, string> { [SherwebSampleData.BusinessPremiumSku] = "Microsoft 365 Business Premium" }, DateTimeOffset.UtcNow);
                var product = mappings.FindProduct(SherwebSampleData.BusinessPremiumSku)!;
                (product.HaloItemId, product.HaloItemName, product.Source) = (item.Id, item.Name, MappingSource.Manual);
                mappings.SaveProduct(product, DateTimeOffset.UtcNow);
            });
        }

        /// <summary>The admin adds 7 to the first HaloSync subscription's count and to the first line of Contoso's recurring invoice.</summary>
        private static async Task EditByHandAsync(SyncTestBed bed)
        {
            using var admin = bed.Admin();
            var licence = bed.Halo.Store.Licences.Where(l => l.Snowid?.StartsWith("halosync:", StringComparison.Ordinal) == true).OrderBy(l => l.Id).FirstOrDefault();
            if (licence is not null)
            {
                await admin.SaveLicencesAsync(new[] { new HaloLicence { Id = licence.Id!.Value, Count = licence.Count + 7 } });
            }

            var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).OrderBy(i => i.Id).FirstOrDefault();
            if (invoice?.Lines is { Count: > 0 } lines)
            {
                lines.OrderBy(l => l.Id).First().Quantity += 7;
                await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = lines });
            }
        }

        private string Short(Guid id) => names.TryGetValue(id, out var name) ? name : id.ToString("N").Substring(0, 8);
    }

    /// <summary>The faults of one attempt: one to three, on either API, drawn from the weather.</summary>
    private static class Storm
    {
        private static readonly string[] HaloWrites = { "/api/SoftwareLicence", "/api/RecurringInvoice", "/api/Item" };
        private static readonly string?[] HaloPaths = { null, "/api/SoftwareLicence", "/api/RecurringInvoice", "/api/Item", "/auth/token" };
        private static readonly string?[] SherwebPaths = { null, "subscriptions/details", "pricing-information", "payable-charges", "customers", "token" };

        public static int Inject(SyncTestBed bed, Random weather)
        {
            var count = weather.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                var roll = weather.Next(100);
                if (roll < 35)
                {
                    var path = HaloWrites[weather.Next(HaloWrites.Length)];
                    bed.Halo.Faults.Enqueue(FaultRule.AnswerLost(LostAs(weather), "POST", path));
                }
                else if (roll < 55)
                {
                    bed.Halo.Faults.Enqueue(ServerTrouble(weather, HaloPaths[weather.Next(HaloPaths.Length)]));
                }
                else if (roll < 65)
                {
                    bed.Halo.Faults.Enqueue(FaultRule.Status(429, retryAfter: weather.Next(2) == 0 ? null : "2", pathContains: HaloPaths[weather.Next(HaloPaths.Length)], times: weather.Next(1, 4)));
                }
                else if (roll < 72)
                {
                    bed.Halo.Tokens.ExpireAll();
                }
                else if (roll < 92)
                {
                    bed.Sherweb.Faults.Enqueue(ServerTrouble(weather, SherwebPaths[weather.Next(SherwebPaths.Length)]));
                }
                else
                {
                    bed.Sherweb.ExpireTokens();
                }
            }

            return count;
        }

        /// <summary>A 500, 502 or 503 (sometimes more times in a row than the client retries), or a dropped connection.</summary>
        private static FaultRule ServerTrouble(Random weather, string? path)
        {
            var times = weather.Next(3) == 0 ? weather.Next(8, 11) : weather.Next(1, 4);
            return weather.Next(4) == 0
                ? FaultRule.Drop(path, times)
                : FaultRule.Status(new[] { 500, 502, 503 }[weather.Next(3)], pathContains: path, times: times);
        }

        public const string Killed = "killed";

        private static readonly string[] Saves = { "SaveLicences", "SaveRecurringInvoices", "SaveItems" };

        /// <summary>
        /// One attempt in four (or, <paramref name="certain"/>, this one at its first save of any kind), the process dies
        /// just before or just after one of its saves (nothing after it is committed).
        /// </summary>
        public static InterceptedHalo? Killer(SyncTestBed bed, Random weather, bool certain)
        {
            if (!certain && weather.Next(4) != 0)
            {
                return null;
            }

            var save = certain ? null : Saves[weather.Next(Saves.Length)];
            void Die(string call)
            {
                if (save is null ? Saves.Contains(call) : call == save)
                {
                    throw new OperationCanceledException(Killed);
                }
            }

            var killer = new InterceptedHalo(bed.HaloClient);
            if (weather.Next(2) == 0)
            {
                killer.Before = Die;
            }
            else
            {
                killer.After = Die;
            }

            return killer;
        }

        private static FaultRule LostAs(Random weather) => weather.Next(6) switch
        {
            0 => FaultRule.Slow(TimeSpan.FromSeconds(2)),
            1 => FaultRule.Drop(),
            2 => FaultRule.Status(502),
            3 => FaultRule.Status(503),
            4 => FaultRule.Status(504),
            _ => FaultRule.Status(500),
        };
    }
}
