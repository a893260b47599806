using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// The few MQTT 3.1.1 / 5.0 packets a publishing client needs, encoded and decoded by hand: CONNECT, CONNACK,
/// PUBLISH (QoS 0 and 1), PUBACK, PINGREQ and DISCONNECT.
/// </summary>
internal static class MqttWire
{
    public const byte PublishQos0 = 0x30;
    public const byte PublishQos1 = 0x32;
    public const byte ConnAck = 0x20;
    public const byte PubAck = 0x40;
    public const byte PingResp = 0xD0;
    public const byte Disconnect = 0xE0;

    public static ReadOnlySpan<byte> PingRequest => [0xC0, 0x00];

    public static ReadOnlySpan<byte> DisconnectPacket => [0xE0, 0x00];

    /// <summary>The bytes of a variable byte integer (remaining length) of <paramref name="value"/>.</summary>
    public static int VarIntSize(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    public static int WriteVarInt(Span<byte> destination, int value)
    {
        var i = 0;
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            destination[i++] = value > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (value > 0);
        return i;
    }

    /// <summary>A CONNECT with a clean session/start, no will, no credentials.</summary>
    public static byte[] Connect(string clientId, bool v5, int keepAliveSec)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var variable = 10 + (v5 ? 1 : 0);
        var remaining = variable + 2 + id.Length;
        var packet = new byte[1 + VarIntSize(remaining) + remaining];
        packet[0] = 0x10;
        var p = 1 + WriteVarInt(packet.AsSpan(1), remaining);
        packet[p++] = 0;
        packet[p++] = 4;
        "MQTT"u8.CopyTo(packet.AsSpan(p));
        p += 4;
        packet[p++] = v5 ? (byte)5 : (byte)4;
        packet[p++] = 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), (ushort)Math.Min(keepAliveSec, ushort.MaxValue));
        p += 2;
        if (v5)
        {
            packet[p++] = 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(p), (ushort)id.Length);
        id.CopyTo(packet.AsSpan(p + 2));
        return packet;
    }

    /// <summary>Writes a PUBLISH (no properties in MQTT 5). The topic is not validated: the simulator builds its topics.</summary>
    public static void WritePublish(IBufferWriter<byte> writer, string topic, ReadOnlySpan<byte> payload, bool qos1, ushort packetId, bool v5)
    {
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        var remaining = 2 + topicBytes + (qos1 ? 2 : 0) + (v5 ? 1 : 0) + payload.Length;
        var total = 1 + VarIntSize(remaining) + remaining;
        var span = writer.GetSpan(total);
        span[0] = qos1 ? PublishQos1 : PublishQos0;
        var p = 1 + WriteVarInt(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[p..], (ushort)topicBytes);
        p += 2;
        p += Encoding.UTF8.GetBytes(topic, span[p..]);
        if (qos1)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[p..], packetId);
            p += 2;
        }

        if (v5)
        {
            span[p++] = 0;
        }

        payload.CopyTo(span[p..]);
        writer.Advance(total);
    }

    /// <summary>
    /// Reads one packet's fixed header from <paramref name="buffer"/>: false when more bytes are needed. Throws on a
    /// remaining length longer than four bytes.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> buffer, out byte type, out int headerLength, out int remaining)
    {
        type = 0;
        headerLength = 0;
        remaining = 0;
        if (buffer.Length < 2)
        {
            return false;
        }

        var multiplier = 1;
        for (var i = 1; i <= 4; i++)
        {
            if (i >= buffer.Length)
            {
                return false;
            }

            var b = buffer[i];
            remaining += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                type = buffer[0];
                headerLength = i + 1;
                return true;
            }

            multiplier *= 128;
        }

        throw new InvalidDataException("Malformed remaining length from the broker.");
    }

    /// <summary>
    /// Reads a CONNACK's body: the return/reason code and, for MQTT 5, the Receive Maximum property (0 when absent).
    /// </summary>
    public static (byte ReasonCode, int ReceiveMaximum) ReadConnAck(ReadOnlySpan<byte> body, bool v5)
    {
        if (body.Length < 2)
        {
            throw new InvalidDataException("CONNACK too short.");
        }

        var code = body[1];
        if (!v5 || body.Length < 3)
        {
            return (code, 0);
        }

        var p = 2;
        var length = ReadVarInt(body, ref p);
        var end = Math.Min(body.Length, p + length);
        var receiveMaximum = 0;
        while (p < end)
        {
            var id = body[p++];
            switch (id)
            {
                case 0x21:
                    receiveMaximum = BinaryPrimitives.ReadUInt16BigEndian(body[p..]);
                    p += 2;
                    break;
                case 0x13 or 0x22:
                    p += 2;
                    break;
                case 0x11 or 0x27:
                    p += 4;
                    break;
                case 0x24 or 0x25 or 0x28 or 0x29 or 0x2A:
                    p += 1;
                    break;
                case 0x12 or 0x15 or 0x16 or 0x1A or 0x1C or 0x1F:
                    p += 2 + BinaryPrimitives.ReadUInt16BigEndian(body[p..]);
                    break;
                case 0x26:
                    p += 2 + BinaryPrimitives.ReadUInt16BigEndian(body[p..]);
                    p += 2 + BinaryPrimitives.ReadUInt16BigEndian(body[p..]);
                    break;
                default:
                    throw new InvalidDataException($"Unknown CONNACK property 0x{id:X2}.");
            }
        }

        return (code, receiveMaximum);
    }

    private static int ReadVarInt(ReadOnlySpan<byte> buffer, ref int position)
    {
        var value = 0;
        var multiplier = 1;
        for (var i = 0; i < 4; i++)
        {
            var b = buffer[position++];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            multiplier *= 128;
        }

        throw new InvalidDataException("Malformed variable byte integer from the broker.");
    }
}
