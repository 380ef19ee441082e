using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Cumulus;

public enum AttributionMethod
{
    /// <summary>No tag names a known customer.</summary>
    Unattributed = 0,

    /// <summary>The customer-id tag names a known customer.</summary>
    CustomerIdTag,

    /// <summary>No usable id tag; the display-name tag matches exactly one customer.</summary>
    DisplayNameTag,

    /// <summary>The display-name tag matches several customers; nothing is attributed.</summary>
    AmbiguousDisplayName,
}

/// <summary>Which customer a payable charge is for. Payable charges name their customer only through tags.</summary>
public sealed class ChargeAttribution
{
    /// <summary>The tag Sherweb documents in its official sample.</summary>
    public const string DisplayNameTag = "CustomerDisplayName";

    /// <summary>The customer-id tag; its real name is not documented, so it can be changed.</summary>
    public const string DefaultCustomerIdTag = "CustomerId";

    private ChargeAttribution(CumulusCustomer? customer, AttributionMethod method, string? taggedName)
    {
        Customer = customer;
        Method = method;
        TaggedDisplayName = taggedName;
    }

    public CumulusCustomer? Customer { get; }

    public AttributionMethod Method { get; }

    /// <summary>The display name the charge carries, for reporting unattributed charges.</summary>
    public string? TaggedDisplayName { get; }

    public bool IsAttributed => Customer is not null;

    /// <summary>
    /// Prefers the id tag; falls back to the display-name tag (trimmed, case-insensitive), which counts only
    /// when exactly one customer carries that name, because attributing a cost to the wrong customer is worse
    /// than reporting it as unattributed.
    /// </summary>
    public static ChargeAttribution Attribute(PayableCharge charge, IReadOnlyCollection<CumulusCustomer> customers, string customerIdTag = DefaultCustomerIdTag)
        => Attribute(charge, new CustomerIndex(customers), customerIdTag);

    /// <summary>Every attributed charge by its customer's id: each charge is attributed once, by dictionary lookups.</summary>
    public static Dictionary<Guid, List<PayableCharge>> ByCustomer(IEnumerable<PayableCharge> charges, IReadOnlyCollection<CumulusCustomer> customers,
        string customerIdTag = DefaultCustomerIdTag)
    {
        var index = new CustomerIndex(customers);
        var result = new Dictionary<Guid, List<PayableCharge>>();
        foreach (var charge in charges)
        {
            if (Attribute(charge, index, customerIdTag).Customer is { } customer)
            {
                if (!result.TryGetValue(customer.Id, out var list))
                {
                    result[customer.Id] = list = new List<PayableCharge>();
                }

                list.Add(charge);
            }
        }

        return result;
    }

    private static ChargeAttribution Attribute(PayableCharge charge, CustomerIndex customers, string customerIdTag)
    {
        var taggedName = TagValue(charge, DisplayNameTag);
        if (Guid.TryParse(TagValue(charge, customerIdTag), out var customerId) && customers.ById.TryGetValue(customerId, out var byId))
        {
            return new ChargeAttribution(byId, AttributionMethod.CustomerIdTag, taggedName);
        }

        if (string.IsNullOrWhiteSpace(taggedName))
        {
            return new ChargeAttribution(null, AttributionMethod.Unattributed, taggedName);
        }

        var byName = customers.ByName.TryGetValue(taggedName!.Trim(), out var named) ? named : new List<CumulusCustomer>();
        return byName.Count switch
        {
            1 => new ChargeAttribution(byName[0], AttributionMethod.DisplayNameTag, taggedName),
            0 => new ChargeAttribution(null, AttributionMethod.Unattributed, taggedName),
            _ => new ChargeAttribution(null, AttributionMethod.AmbiguousDisplayName, taggedName),
        };
    }

    private static string? TagValue(PayableCharge charge, string tagName) =>
        charge.Tags.FirstOrDefault(t => string.Equals(t.Name, tagName, StringComparison.OrdinalIgnoreCase))?.Value;

    private sealed class CustomerIndex
    {
        public CustomerIndex(IReadOnlyCollection<CumulusCustomer> customers)
        {
            foreach (var customer in customers)
            {
                ById[customer.Id] = customer;
                var name = customer.DisplayName.Trim();
                if (!ByName.TryGetValue(name, out var list))
                {
                    ByName[name] = list = new List<CumulusCustomer>();
                }

                list.Add(customer);
            }
        }

        public Dictionary<Guid, CumulusCustomer> ById { get; } = new();

        public Dictionary<string, List<CumulusCustomer>> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
