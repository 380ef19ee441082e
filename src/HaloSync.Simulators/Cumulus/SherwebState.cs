using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Simulators.Cumulus;

/// <summary>The simulator's data: products, customers, subscriptions with their quantity history, and extra charges. Thread-safe.</summary>
public sealed class SherwebState
{
    private readonly object gate = new();
    private SherwebSeed data = new();

    public SherwebSettings Settings
    {
        get { lock (gate) { return data.Settings; } }
        set { lock (gate) { data = data with { Settings = value }; } }
    }

    /// <summary>A consistent copy of everything, secrets included (in-process use only).</summary>
    public SherwebSeed Snapshot()
    {
        lock (gate) { return data; }
    }

    public void Load(SherwebSeed seed)
    {
        var skus = new HashSet<string>(seed.Products.Select(p => p.Sku), StringComparer.OrdinalIgnoreCase);
        var customerIds = seed.Customers.Select(c => c.Id).ToHashSet();
        foreach (var subscription in seed.Subscriptions)
        {
            RequireKnown(customerIds.Contains(subscription.CustomerId), $"Subscription {subscription.Id} belongs to unknown customer {subscription.CustomerId}.");
            RequireKnown(skus.Contains(subscription.Sku), $"Subscription {subscription.Id} has unknown SKU {subscription.Sku}.");
            RequireKnown(subscription.QuantityHistory.Count > 0, $"Subscription {subscription.Id} needs a quantity history starting with its purchase.");
        }

        foreach (var charge in seed.Charges)
        {
            RequireKnown(customerIds.Contains(charge.CustomerId), $"A {charge.Sku} charge belongs to unknown customer {charge.CustomerId}.");
            RequireKnown(skus.Contains(charge.Sku), $"A charge has unknown SKU {charge.Sku}.");
        }

        lock (gate) { data = seed; }
    }

    public SherwebCustomer AddCustomer(SherwebCustomer customer)
    {
        lock (gate)
        {
            if (data.Customers.Any(c => c.Id == customer.Id))
            {
                throw new ArgumentException($"Customer {customer.Id} already exists.");
            }

            data = data with { Customers = data.Customers.Append(customer).ToList() };
            return customer;
        }
    }

    /// <summary>A customer gone from the service provider's account (moved away, deleted), with its subscriptions and charges.</summary>
    public SherwebCustomer RemoveCustomer(Guid customerId)
    {
        lock (gate)
        {
            var customer = data.Customers.FirstOrDefault(c => c.Id == customerId) ?? throw new KeyNotFoundException($"No customer {customerId}.");
            data = data with
            {
                Customers = data.Customers.Where(c => c.Id != customerId).ToList(),
                Subscriptions = data.Subscriptions.Where(s => s.CustomerId != customerId).ToList(),
                Charges = data.Charges.Where(c => c.CustomerId != customerId).ToList(),
            };
            return customer;
        }
    }

    /// <summary>Adds a product, or replaces the one with the same SKU (a price change).</summary>
    public SherwebProduct PutProduct(SherwebProduct product)
    {
        lock (gate)
        {
            var others = data.Products.Where(p => !string.Equals(p.Sku, product.Sku, StringComparison.OrdinalIgnoreCase));
            data = data with { Products = others.Append(product).ToList() };
            return product;
        }
    }

    public SherwebSubscription Purchase(Guid customerId, string sku, int quantity, DateTimeOffset purchaseDate,
        SherwebBillingCycle billingCycle = SherwebBillingCycle.Monthly, SherwebCommitmentTerm? commitmentTerm = SherwebCommitmentTerm.Monthly, Guid? subscriptionId = null)
    {
        if (quantity < 1)
        {
            throw new ArgumentException("A purchase needs a quantity of at least 1.");
        }

        lock (gate)
        {
            RequireKnown(data.Customers.Any(c => c.Id == customerId), $"No customer {customerId}.");
            RequireKnown(data.FindProduct(sku) is not null, $"No product with SKU {sku}.");
            var subscription = new SherwebSubscription
            {
                Id = subscriptionId ?? Guid.NewGuid(),
                CustomerId = customerId,
                Sku = sku,
                BillingCycle = billingCycle,
                CommitmentTerm = commitmentTerm,
                PurchaseDate = purchaseDate,
                QuantityHistory = new[] { new QuantityChange(purchaseDate.UtcDateTime.Date, quantity) },
            };
            data = data with { Subscriptions = data.Subscriptions.Append(subscription).ToList() };
            return subscription;
        }
    }

    public SherwebSubscription ChangeQuantity(Guid subscriptionId, int quantity, DateTime effectiveDate)
    {
        if (quantity < 1)
        {
            throw new ArgumentException("Use a cancellation to go to quantity 0.");
        }

        return Update(subscriptionId, s => s with { QuantityHistory = s.QuantityHistory.Append(new QuantityChange(effectiveDate.Date, quantity)).ToList() });
    }

    public SherwebSubscription Cancel(Guid subscriptionId, DateTime effectiveDate) =>
        Update(subscriptionId, s => s with
        {
            CancelledOn = effectiveDate.Date,
            QuantityHistory = s.QuantityHistory.Append(new QuantityChange(effectiveDate.Date, 0)).ToList(),
        });

    public SherwebExtraCharge AddCharge(SherwebExtraCharge charge)
    {
        lock (gate)
        {
            RequireKnown(data.Customers.Any(c => c.Id == charge.CustomerId), $"No customer {charge.CustomerId}.");
            RequireKnown(data.FindProduct(charge.Sku) is not null, $"No product with SKU {charge.Sku}.");
            data = data with { Charges = data.Charges.Append(charge).ToList() };
            return charge;
        }
    }

    private SherwebSubscription Update(Guid subscriptionId, Func<SherwebSubscription, SherwebSubscription> change)
    {
        lock (gate)
        {
            var current = data.Subscriptions.FirstOrDefault(s => s.Id == subscriptionId)
                ?? throw new KeyNotFoundException($"No subscription {subscriptionId}.");
            if (current.CancelledOn is not null)
            {
                throw new InvalidOperationException($"Subscription {subscriptionId} is cancelled.");
            }

            var updated = change(current);
            data = data with { Subscriptions = data.Subscriptions.Select(s => s.Id == subscriptionId ? updated : s).ToList() };
            return updated;
        }
    }

    private static void RequireKnown(bool condition, string message)
    {
        if (!condition)
        {
            throw new KeyNotFoundException(message);
        }
    }
}
