using Crm.Identity.Contracts;
using Crm.Identity.Domain;
using Xunit;

namespace Crm.UnitTests.Identity;

public sealed class ApiTokenTests
{
    [Fact]
    public void An_issued_token_is_random_prefixed_and_stored_only_as_its_hash()
    {
        var now = DateTimeOffset.UtcNow;
        var (first, firstPlain) = ApiToken.Issue(Guid.NewGuid(), "ERP", now);
        var (_, secondPlain) = ApiToken.Issue(Guid.NewGuid(), "ERP", now);

        Assert.StartsWith("crm_", firstPlain, StringComparison.Ordinal);
        Assert.True(firstPlain.Length >= 46);
        Assert.NotEqual(firstPlain, secondPlain);
        Assert.Equal(ApiToken.Hash(firstPlain), first.TokenHash);
        Assert.DoesNotContain(firstPlain, first.TokenHash, StringComparison.Ordinal);
        Assert.StartsWith(first.Hint, firstPlain, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+$", firstPlain);
    }

    [Theory]
    [InlineData("Анна Петрова", "АП")]
    [InlineData("ivan", "I")]
    [InlineData("Anna Maria Petrova", "AM")]
    public void Initials_are_the_first_letters_of_the_first_two_words(string name, string initials) =>
        Assert.Equal(initials, new UserSummary(Guid.NewGuid(), name, "x@crm.local", Guid.NewGuid(), true).Initials);
}
