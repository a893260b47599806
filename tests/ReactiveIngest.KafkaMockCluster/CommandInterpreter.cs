using System.Globalization;

namespace ReactiveIngest.KafkaMockCluster;

/// <summary>Parses one stdin command line and applies it to the mock cluster.</summary>
internal static class CommandInterpreter
{
    /// <summary>Runs <paramref name="line"/>; throws <see cref="FormatException"/> for bad syntax.</summary>
    public static void Execute(MockCluster cluster, string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "ping":
                break;
            case "topic" when words.Length is 3 or 4:
                cluster.CreateTopic(
                    words[1],
                    ParseInt(words[2]),
                    words.Length == 4 ? ParseInt(words[3]) : Math.Min(cluster.BrokerCount, 3));
                break;
            case "down" when words.Length == 2:
                cluster.SetBrokerDown(ParseInt(words[1]));
                break;
            case "up" when words.Length == 2:
                cluster.SetBrokerUp(ParseInt(words[1]));
                break;
            case "rebalance-delay" when words.Length == 2:
                cluster.SetGroupInitialRebalanceDelay(ParseInt(words[1]));
                break;
            case "errors" when words.Length == 3:
                var codes = words[2].Split(',').Select(ParseInt).ToArray();
                cluster.PushRequestErrors(checked((short)ParseInt(words[1])), codes);
                break;
            default:
                throw new FormatException(
                    "expected: topic <name> <partitions> [replication] | down <id> | up <id> | errors <apiKey> <code,...> | rebalance-delay <ms> | ping | quit");
        }
    }

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
