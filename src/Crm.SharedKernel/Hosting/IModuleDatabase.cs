namespace Crm.SharedKernel.Hosting;

/// <summary>
/// A module's database start-up: apply its migrations (own schema, own history table) and make sure the
/// rows every installation needs exist (built-in roles, for instance). The host runs them in
/// <see cref="Order"/> under one advisory lock, so two app instances never migrate at once.
/// </summary>
public interface IModuleDatabase
{
    string Module { get; }

    int Order { get; }

    Task InitializeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Adds a module's demo data. Runs on first start when demo data is enabled, or on <c>./crm.sh seed</c>;
/// must be idempotent (skip what is already there), since the seeder runs on every such start.
/// </summary>
public interface IDemoDataSeeder
{
    int Order { get; }

    Task SeedAsync(CancellationToken cancellationToken);
}
