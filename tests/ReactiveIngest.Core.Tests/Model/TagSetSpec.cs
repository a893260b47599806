using ReactiveIngest.Core.Model;
using Xunit;

namespace ReactiveIngest.Core.Tests.Model;

public sealed class TagSetSpec
{
    [Fact]
    public void Tags_should_be_sorted_by_key_whatever_order_they_are_given_in()
    {
        var set = TagSet.Create(("site", "s1"), ("area", "a2"), ("rack", "r3"));
        Assert.Equal(["area", "rack", "site"], set.Select(t => t.Key));
    }

    [Fact]
    public void Sets_with_the_same_tags_should_be_equal_and_hash_alike()
    {
        var a = TagSet.Create(("site", "s1"), ("area", "a2"));
        var b = TagSet.Create(("area", "a2"), ("site", "s1"));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TagSet.Create(("area", "a2"), ("site", "s2")));
    }

    [Fact]
    public void A_key_given_twice_should_keep_its_last_value()
    {
        var set = TagSet.Create(("site", "first"), ("site", "second"));
        Assert.Single(set);
        Assert.Equal("second", set.Get("site"));
    }

    [Fact]
    public void With_should_add_a_tag_in_key_order_or_replace_the_value_of_its_key()
    {
        var set = TagSet.Create(("area", "a1"), ("site", "s1"));
        Assert.Equal(TagSet.Create(("area", "a1"), ("rack", "r1"), ("site", "s1")), set.With(new Tag("rack", "r1")));
        Assert.Equal(TagSet.Create(("area", "a1"), ("site", "s2")), set.With(new Tag("site", "s2")));
        Assert.Equal(TagSet.Create(("zone", "z")), TagSet.Empty.With(new Tag("zone", "z")));
        Assert.Equal(["area", "site"], set.Select(t => t.Key));
    }

    [Fact]
    public void Many_tags_with_repeated_keys_should_sort_and_keep_each_key_s_last_value()
    {
        var random = new Random(7);
        var given = Enumerable.Range(0, 200).Select(i => new Tag($"k{random.Next(0, 40)}", $"v{i}")).ToList();
        var expected = given.GroupBy(t => t.Key).Select(g => g.Last()).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, TagSet.Create(given));
    }

    [Fact]
    public void The_empty_set_should_equal_a_set_created_from_nothing()
    {
        Assert.Equal(TagSet.Empty, TagSet.Create(Array.Empty<Tag>()));
        Assert.Empty(TagSet.Empty);
        Assert.Null(TagSet.Empty.Get("x"));
    }

    [Fact]
    public void Unix_nanoseconds_should_round_trip_through_DateTimeOffset_at_tick_precision()
    {
        const long ns = 1_700_000_000_123_456_700L;
        Assert.Equal(ns, UnixTime.FromDateTimeOffset(UnixTime.ToDateTimeOffset(ns)));
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero).AddTicks(1_234_567), UnixTime.ToDateTimeOffset(ns));
    }
}
