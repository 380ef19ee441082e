using System;
using System.IO;
using HaloSync.Engine.State;

namespace HaloSync.Engine.Tests.State;

[Collection(EnvironmentCollection.Name)]
public sealed class StatePathsTests
{
    [Fact]
    public void An_explicit_path_wins_over_the_environment_variable()
    {
        using var variable = new EnvironmentVariableScope(StatePaths.EnvironmentVariable, Path.Combine(Path.GetTempPath(), "from-env.db"));
        var explicitPath = Path.Combine(Path.GetTempPath(), "explicit.db");

        Assert.Equal(explicitPath, StatePaths.Resolve(explicitPath));
    }

    [Fact]
    public void The_environment_variable_wins_over_the_default()
    {
        var fromEnvironment = Path.Combine(Path.GetTempPath(), "from-env.db");
        using var variable = new EnvironmentVariableScope(StatePaths.EnvironmentVariable, fromEnvironment);

        Assert.Equal(fromEnvironment, StatePaths.Resolve(null));
    }

    [Fact]
    public void Quotes_cmd_keeps_around_the_environment_variable_are_not_part_of_the_path()
    {
        var fromEnvironment = Path.Combine(Path.GetTempPath(), "quoted", "halosync.db");
        using var variable = new EnvironmentVariableScope(StatePaths.EnvironmentVariable, $"\"{fromEnvironment}\" ");

        Assert.Equal(fromEnvironment, StatePaths.Resolve(null));
    }

    [Fact]
    public void A_path_that_is_no_file_path_is_refused_naming_where_it_came_from()
    {
        using var variable = new EnvironmentVariableScope(StatePaths.EnvironmentVariable, null);

        var error = Assert.Throws<HaloSyncException>(() => StatePaths.Resolve("state\0.db"));

        Assert.Equal("InvalidStatePath", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("The state path 'state.db' given by -StatePath is not a valid file path", error.Message);
    }

    [Fact]
    public void The_default_is_HaloSync_halosync_db_under_local_application_data()
    {
        using var variable = new EnvironmentVariableScope(StatePaths.EnvironmentVariable, null);
        var expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "HaloSync", "halosync.db");

        Assert.Equal(expected, StatePaths.Resolve("  "));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}

internal sealed class EnvironmentVariableScope : IDisposable
{
    private readonly string name;
    private readonly string? previous;

    public EnvironmentVariableScope(string name, string? value)
    {
        this.name = name;
        previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(name, previous);
}
