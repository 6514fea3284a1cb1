using Crm.SharedKernel.Hosting;
using Xunit;

namespace Crm.UnitTests.Hosting;

public sealed class DrainRequestsTests
{
    [Fact]
    public void A_burst_asks_for_one_drain_and_a_started_drain_lets_the_next_change_ask_again()
    {
        var requests = new DrainRequests();

        Assert.True(requests.ShouldAsk());
        Assert.False(requests.ShouldAsk());
        Assert.False(requests.ShouldAsk());

        requests.Started();

        Assert.True(requests.ShouldAsk());
        Assert.False(requests.ShouldAsk());
    }

    [Fact]
    public void Of_many_threads_asking_at_once_exactly_one_asks()
    {
        var requests = new DrainRequests();
        var asked = 0;

        Parallel.For(0, 64, _ =>
        {
            if (requests.ShouldAsk())
            {
                Interlocked.Increment(ref asked);
            }
        });

        Assert.Equal(1, asked);
    }
}
