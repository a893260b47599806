using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Delivery;

public sealed class AckHandleSpec
{
    [Fact]
    public void A_handle_should_acknowledge_once_when_its_last_reference_is_released()
    {
        var acknowledged = 0;
        var handle = new CallbackAckHandle(() => acknowledged++);
        handle.Retain(2);
        handle.Release();
        handle.Release();
        Assert.Equal(0, acknowledged);
        Assert.False(handle.IsReleased);
        handle.Release();
        Assert.Equal(1, acknowledged);
        Assert.True(handle.IsReleased);
    }

    [Fact]
    public void Releasing_more_often_than_retained_should_throw()
    {
        var handle = new CallbackAckHandle(() => { });
        handle.Release();
        Assert.Throws<InvalidOperationException>(handle.Release);
        Assert.Throws<InvalidOperationException>(() => handle.Retain());
    }

    [Fact]
    public async Task Concurrent_releases_should_acknowledge_exactly_once()
    {
        var acknowledged = 0;
        var handle = new CallbackAckHandle(() => Interlocked.Increment(ref acknowledged));
        handle.Retain(9_999);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                handle.Release();
            }
        })));
        Assert.Equal(1, acknowledged);
    }

    [Fact]
    public void The_none_handle_should_ignore_retains_and_releases()
    {
        AckHandle.None.Retain(5);
        AckHandle.None.Release();
        AckHandle.None.Release();
        Assert.False(AckHandle.None.IsReleased);
    }
}
