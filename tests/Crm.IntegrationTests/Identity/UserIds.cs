using Crm.Identity.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.IntegrationTests.Identity;

internal static class UserIds
{
    private static string Normalized(string email) => email.ToUpperInvariant();

    public static Task<Guid> FindAsync(CrmApp app, string email) =>
        app.WithScopeAsync(services => services.GetRequiredService<IdentityDbContext>().Users
            .Where(u => u.NormalizedEmail == Normalized(email)).Select(u => u.Id).SingleAsync());
}
