using System.Text.Json;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Reads metric values for <see cref="JsonReadingDecoder"/>: a mapped metric, an unmapped top-level number
/// (implicit metrics) or every member of a mapped metrics object. Each value is appended to the output as a
/// reading without device id, timestamp and tags; the decoder fills those in once the object is complete.
/// </summary>
internal sealed class JsonMetricReader
{
    private readonly StringPool _strings;
    private readonly bool _booleans;

    public JsonMetricReader(StringPool strings, bool booleans)
    {
        _strings = strings;
        _booleans = booleans;
    }

    public DecodeError? ReadImplicit(ref Utf8JsonReader reader, List<Reading> output, int index)
    {
        // The name's bytes stay valid after reading on (they are a slice of the payload) unless escaped.
        var nameBytes = reader.ValueSpan;
        var escapedName = reader.ValueIsEscaped ? reader.GetString() : null;
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
            case JsonTokenType.True when _booleans:
            case JsonTokenType.False when _booleans:
                var name = escapedName is null ? _strings.GetUtf8(nameBytes) : _strings.Get(escapedName);
                return AddValue(ref reader, name, name, output, index);
            default:
                // Strings, nulls, objects and arrays at the top level are not metrics unless mapped.
                reader.Skip();
                return null;
        }
    }

    public DecodeError? Read(ref Utf8JsonReader reader, string name, string path, List<Reading> output, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
            case JsonTokenType.True when _booleans:
            case JsonTokenType.False when _booleans:
                return AddValue(ref reader, name, path, output, index);
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.WrongType, $"{JsonErrorText.Where(index)}metric '{path}' is {JsonErrorText.Describe(found)}, expected a number");
        }
    }

    private static DecodeError? AddValue(ref Utf8JsonReader reader, string name, string path, List<Reading> output, int index)
    {
        double value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
            {
                return new DecodeError(RejectReason.NotFinite, $"{JsonErrorText.Where(index)}metric '{path}' does not fit in a double");
            }
        }
        else
        {
            value = reader.TokenType == JsonTokenType.True ? 1d : 0d;
        }

        output.Add(new Reading(string.Empty, name, 0, value, TagSet.Empty));
        return null;
    }

    public DecodeError? ReadObject(ref Utf8JsonReader reader, JsonFieldNode node, List<Reading> output, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var found = reader.TokenType;
            reader.Skip();
            return new DecodeError(RejectReason.WrongType, $"{JsonErrorText.Where(index)}'{node.Path}' is {JsonErrorText.Describe(found)}, expected an object of metrics");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var nameBytes = reader.ValueSpan;
            var escapedName = reader.ValueIsEscaped ? reader.GetString() : null;
            reader.Read();
            var name = escapedName is null ? _strings.GetUtf8(nameBytes) : _strings.Get(escapedName);
            var error = Read(ref reader, name, node.Path, output, index);
            if (error is not null)
            {
                return error.Value with { Detail = $"{error.Value.Detail} (member '{name}')" };
            }
        }

        return null;
    }
}
