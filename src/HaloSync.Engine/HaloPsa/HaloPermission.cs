using System.Collections.Generic;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// One HaloPSA permission HaloSync needs, named the way the setup guide names it: the application privilege
/// (e.g. "Read: items", scope read:items) and the agent access level behind it.
/// </summary>
public sealed class HaloPermission
{
    private HaloPermission(string privilege, string scope, string agentAccessLevel, string what)
    {
        Privilege = privilege;
        Scope = scope;
        AgentAccessLevel = agentAccessLevel;
        What = what;
    }

    public static HaloPermission ReadCustomers { get; } = new("Read: customers", "read:customers", "Client Access Level: Read and Modify", "read clients");
    public static HaloPermission EditCustomers { get; } = new("Edit: customers", "edit:customers", "Client Access Level: Read and Modify", "change clients");
    public static HaloPermission ReadItems { get; } = new("Read: items", "read:items", "Items Access Level: Read and Modify", "read items");
    public static HaloPermission EditItems { get; } = new("Edit: items", "edit:items", "Items Access Level: Read and Modify", "change items");
    public static HaloPermission ReadInvoices { get; } = new("Read: invoices", "read:invoices", "Invoice Access Level: Read, Create, Modify, and Delete", "read recurring invoices");
    public static HaloPermission EditInvoices { get; } = new("Edit: invoices", "edit:invoices", "Invoice Access Level: Read, Create, Modify, and Delete", "change recurring invoices");
    public static HaloPermission ReadSoftwareLicensing { get; } = new("Read: softwarelicensing", "read:softwarelicensing", "Software Access Level: Read and Modify", "read subscriptions (software licences)");
    public static HaloPermission EditSoftwareLicensing { get; } = new("Edit: softwarelicensing", "edit:softwarelicensing", "Software Access Level: Read and Modify", "change subscriptions (software licences)");

    public static IReadOnlyList<HaloPermission> All { get; } = new[]
    {
        ReadCustomers, EditCustomers, ReadItems, EditItems, ReadInvoices, EditInvoices, ReadSoftwareLicensing, EditSoftwareLicensing,
    };

    /// <summary>As shown in HaloPSA's application privileges, e.g. "Read: items".</summary>
    public string Privilege { get; }

    /// <summary>The OAuth scope, e.g. "read:items".</summary>
    public string Scope { get; }

    /// <summary>The agent permission that must also allow it, e.g. "Items Access Level: Read and Modify".</summary>
    public string AgentAccessLevel { get; }

    /// <summary>What it allows, in plain words.</summary>
    public string What { get; }

    /// <summary>Tells the user where to grant this permission.</summary>
    public string HowToGrant =>
        $"In HaloPSA open Configuration > Integrations > HaloPSA API > View Applications, edit the application and enable the privilege '{Privilege}' ({Scope}); " +
        $"also give the agent the application logs in as '{AgentAccessLevel}' (Configuration > Teams & Agents > Agents > Permissions)";

    public override string ToString() => $"{Privilege} ({Scope})";
}
