using System;

namespace HaloSync.Engine.Cumulus;

/// <summary>
/// The three values from Cumulus > Security > APIs. The secret and the subscription key are readable only inside
/// the engine, and <see cref="ToString"/> shows neither.
/// </summary>
public sealed class CumulusCredentials
{
    public CumulusCredentials(string clientId, string clientSecret, string subscriptionKey)
    {
        ClientId = Required(clientId, "client id", nameof(clientId)).Trim();
        ClientSecret = Required(clientSecret, "client secret", nameof(clientSecret));
        SubscriptionKey = Required(subscriptionKey, "subscription key", nameof(subscriptionKey)).Trim();
    }

    public string ClientId { get; }

    internal string ClientSecret { get; }

    internal string SubscriptionKey { get; }

    public override string ToString() => $"Sherweb client {ClientId} (secret and subscription key hidden)";

    private static string Required(string value, string what, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new HaloSyncException("CumulusCredentialMissing", HaloSyncErrorKind.InvalidArgument,
                $"The Sherweb {what} is empty. Copy it from Cumulus (cumulus.sherweb.com) > Security > APIs and connect again.",
                new ArgumentException($"The {what} is required.", parameterName));
        }

        return value;
    }
}
