namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>Waits for a condition on the system under test (not for time): polls it until true or a generous timeout.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not reached within {timeout}: {describe()}");
            }

            await Task.Delay(20);
        }
    }
}
