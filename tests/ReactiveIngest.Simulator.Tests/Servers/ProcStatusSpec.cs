using ReactiveIngest.Simulator.Servers;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Servers;

public sealed class ProcStatusSpec
{
    private const string Status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  153600 kB\nThreads:\t25\n";

    [Fact]
    public void A_field_in_kB_should_be_read_as_bytes()
    {
        Assert.Equal(153600L * 1024, ProcStatus.ParseBytes(Status, "VmRSS"));
        Assert.Equal(204800L * 1024, ProcStatus.ParseBytes(Status, "VmHWM"));
    }

    [Fact]
    public void An_absent_field_or_one_not_in_kB_should_be_null()
    {
        Assert.Null(ProcStatus.ParseBytes(Status, "VmSwap"));
        Assert.Null(ProcStatus.ParseBytes(Status, "Threads"));
        Assert.Null(ProcStatus.ParseBytes("VmRSS:\tlots kB\n", "VmRSS"));
    }

    [Fact]
    public void The_resident_memory_of_this_process_should_be_read_from_proc()
    {
        var rss = ProcStatus.ReadBytes(Environment.ProcessId, "VmRSS");

        Assert.NotNull(rss);
        Assert.True(rss > 1024 * 1024, $"VmRSS {rss} bytes");
    }

    [Fact]
    public void A_process_that_does_not_exist_should_have_no_figure()
    {
        Assert.Null(ProcStatus.ReadBytes(int.MaxValue, "VmRSS"));
    }
}
