namespace HaloSync.Engine.Cumulus;

// Every enum starts with Unknown = 0: Sherweb adds values over time, and a value this version does not
// know must not fail a whole read (see TolerantEnumConverter).

/// <summary>A subscription's billing cycle ("Possible values: none, daily, weekly, monthly, yearly and unknown").</summary>
public enum SubscriptionBillingCycle
{
    Unknown = 0,
    None,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// <summary>A subscription's commitment term.</summary>
public enum CommitmentTermType
{
    Unknown = 0,
    Monthly,
    Annual,
    Biennial,
    Triennial,
}

/// <summary>What a payable charge is for.</summary>
public enum ChargeType
{
    Unknown = 0,
    Setup,
    Recurring,
    Usage,
}

/// <summary>How often a payable charge recurs.</summary>
public enum BillingCycleType
{
    Unknown = 0,
    OneTime,
    Monthly,
    Yearly,
}

/// <summary>Why a deduction lowers a charge's list price.</summary>
public enum DeductionType
{
    Unknown = 0,
    PromotionalMoney,
    PromotionalPercentage,

    /// <summary>Sherweb's performance-tier rebate.</summary>
    PerformancePercentage,
}
