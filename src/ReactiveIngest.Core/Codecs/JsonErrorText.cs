using System.Text.Json;

namespace ReactiveIngest.Core.Codecs;

/// <summary>Wording shared by <see cref="JsonReadingDecoder"/>'s error details.</summary>
internal static class JsonErrorText
{
    /// <summary>The prefix naming the element of a top-level array, or nothing for a single object.</summary>
    public static string Where(int index) => index < 0 ? string.Empty : $"element {index}: ";

    /// <summary>A token type as a phrase: "a string", "an object", ….</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
