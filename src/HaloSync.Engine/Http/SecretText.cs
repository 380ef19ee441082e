using System;

namespace HaloSync.Engine.Http;

/// <summary>Takes secrets out of text a service sent back (an error body may echo the request), before it is quoted anywhere.</summary>
public static class SecretText
{
    public const string Mask = "***";

    /// <returns>The text with every occurrence of each non-empty secret replaced by <see cref="Mask"/>; null stays null.</returns>
    public static string? Hide(string? text, params string?[] secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text!.Replace(secret, Mask);
            }
        }

        return text;
    }

    /// <summary>The access token the request of <paramref name="response"/> carried, which an error answer may quote back.</summary>
    public static string? TokenSentWith(System.Net.Http.HttpResponseMessage response) => response.RequestMessage?.Headers.Authorization?.Parameter;
}
