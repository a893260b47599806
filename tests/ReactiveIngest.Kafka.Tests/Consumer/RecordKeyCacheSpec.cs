using System.Text;
using ReactiveIngest.Kafka.Consumer;
using Xunit;

namespace ReactiveIngest.Kafka.Tests.Consumer;

public sealed class RecordKeyCacheSpec
{
    [Fact]
    public void Cache_should_return_the_same_string_for_a_repeated_key()
    {
        var cache = new RecordKeyCache();
        var first = cache.Text(Encoding.UTF8.GetBytes("device-00042"));
        var second = cache.Text(Encoding.UTF8.GetBytes("device-00042"));

        Assert.Equal("device-00042", first);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Cache_should_decode_every_key_to_its_own_text()
    {
        var cache = new RecordKeyCache();
        var keys = Enumerable.Range(0, 3000).Select(i => $"gerät-{i}-{new string('x', i % 20)}").ToList();
        for (var round = 0; round < 2; round++)
        {
            foreach (var key in keys)
            {
                Assert.Equal(key, cache.Text(Encoding.UTF8.GetBytes(key)));
            }
        }

        Assert.Null(cache.Text(null));
        Assert.Equal(string.Empty, cache.Text([]));
    }

    [Fact]
    public void Cache_should_stay_bounded_and_correct_past_its_limit()
    {
        var cache = new RecordKeyCache();
        for (var i = 0; i < (RecordKeyCache.MaxEntries * 2) + 10; i++)
        {
            var key = $"k{i}";
            Assert.Equal(key, cache.Text(Encoding.UTF8.GetBytes(key)));
            Assert.InRange(cache.Count, 1, RecordKeyCache.MaxEntries);
        }

        var longKey = new string('a', RecordKeyCache.MaxKeyBytes + 1);
        var countBefore = cache.Count;
        Assert.Equal(longKey, cache.Text(Encoding.UTF8.GetBytes(longKey)));
        Assert.Equal(countBefore, cache.Count); // long keys are decoded, not kept
    }
}
