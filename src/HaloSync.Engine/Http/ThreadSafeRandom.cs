using System;

namespace HaloSync.Engine.Http;

internal static class ThreadSafeRandom
{
    private static readonly Random Generator = new();

    public static double NextDouble()
    {
        lock (Generator)
        {
            return Generator.NextDouble();
        }
    }
}
