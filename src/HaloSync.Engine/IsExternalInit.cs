// Lets netstandard2.0 code use C# init-only setters and records.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
