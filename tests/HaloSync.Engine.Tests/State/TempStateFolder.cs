using System;
using System.IO;

namespace HaloSync.Engine.Tests.State;

/// <summary>A fresh folder per test for state database files, removed afterwards.</summary>
public sealed class TempStateFolder : IDisposable
{
    public TempStateFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "halosync-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "halosync.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a failing test; the OS temp cleaner takes it.
        }
    }
}
