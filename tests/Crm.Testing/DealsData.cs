using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Testing;

/// <summary>
/// Deals for tests, made through the module's own handlers (numbers, first stay in the stage history,
/// audit) acting as a demo user, as a job would. Pipelines: 0 is goods sale, 1 service sale (the
/// templates every installation starts with). Each helper takes the app's services too (the browser
/// tests' app is not a <see cref="CrmApp"/>).
/// </summary>
internal static class DealsData
{
    public static Task<UserSummary> UserAsync(CrmApp app, string email) => UserAsync(app.Services, email);

    public static async Task<UserSummary> UserAsync(IServiceProvider app, string email) =>
        await WithScopeAsync(app, async services =>
            (await services.GetRequiredService<IUserDirectory>().GetActiveUsersAsync()).Single(u => u.Email == email));

    public static Task<Pipeline> PipelineAsync(CrmApp app, int position = 0) => PipelineAsync(app.Services, position);

    public static Task<Pipeline> PipelineAsync(IServiceProvider app, int position = 0) =>
        WithScopeAsync(app, services => services.GetRequiredService<DealsDbContext>().Pipelines.AsNoTracking()
            .Include(p => p.Stages).OrderBy(p => p.Position).Skip(position).FirstAsync()
            .ContinueWith(t => { t.Result.Stages = t.Result.Stages.OrderBy(s => s.Position).ToList(); return t.Result; }, TaskScheduler.Default));

    /// <summary>A deal owned by <paramref name="ownerEmail"/> in stage <paramref name="stageIndex"/> of the pipeline.</summary>
    public static Task<Deal> CreateAsync(CrmApp app, string ownerEmail, int stageIndex = 0, int pipeline = 0, Action<Deal>? configure = null) =>
        CreateAsync(app.Services, ownerEmail, stageIndex, pipeline, configure);

    public static async Task<Deal> CreateAsync(IServiceProvider app, string ownerEmail, int stageIndex = 0, int pipeline = 0, Action<Deal>? configure = null)
    {
        var owner = await UserAsync(app, ownerEmail);
        var stage = (await PipelineAsync(app, pipeline)).Stages[stageIndex];
        return await WithScopeAsync(app, async services =>
        {
            using var acting = ActingUser.As(owner.Id, owner.FullName);
            var deal = new Deal { Title = "Test deal " + Guid.NewGuid().ToString("N")[..6], OwnerId = owner.Id, OwnerDepartmentId = owner.DepartmentId, Currency = "RUB" };
            configure?.Invoke(deal);
            await services.GetRequiredService<DealCreation>().AddAsync(deal, stage, MoveChannels.Page, CancellationToken.None);
            await services.GetRequiredService<DealsDbContext>().SaveChangesAsync();
            return deal;
        });
    }

    /// <summary>Moves as <paramref name="email"/> through the one mover every channel uses.</summary>
    public static async Task<MoveResult> MoveAsync(CrmApp app, string email, MoveCommand command)
    {
        var user = await UserAsync(app, email);
        return await app.WithScopeAsync(async services =>
        {
            using var acting = ActingUser.As(user.Id, user.FullName);
            return await services.GetRequiredService<DealMover>().MoveAsync(command, CancellationToken.None);
        });
    }

    public static Task<Deal> ReloadAsync(CrmApp app, Guid dealId) => ReloadAsync(app.Services, dealId);

    public static Task<Deal> ReloadAsync(IServiceProvider app, Guid dealId) =>
        WithScopeAsync(app, services => services.GetRequiredService<DealsDbContext>().Deals.AsNoTracking().Include(d => d.Items).SingleAsync(d => d.Id == dealId));

    public static Task<List<StageHistoryEntry>> HistoryAsync(CrmApp app, Guid dealId) => HistoryAsync(app.Services, dealId);

    public static Task<List<StageHistoryEntry>> HistoryAsync(IServiceProvider app, Guid dealId) =>
        WithScopeAsync(app, services => services.GetRequiredService<DealsDbContext>().StageHistory.AsNoTracking()
            .Where(h => h.DealId == dealId).OrderBy(h => h.EnteredAt).ToListAsync());

    /// <summary>Changes a pipeline's settings directly (mode, going back) and drops the cached catalog.</summary>
    public static Task SetPipelineAsync(CrmApp app, Guid pipelineId, TransitionMode mode, bool allowBack) =>
        SetPipelineAsync(app.Services, pipelineId, mode, allowBack);

    public static Task SetPipelineAsync(IServiceProvider app, Guid pipelineId, TransitionMode mode, bool allowBack) =>
        WithScopeAsync(app, async services =>
        {
            await services.GetRequiredService<DealsDbContext>().Pipelines.Where(p => p.Id == pipelineId)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.Mode, mode).SetProperty(x => x.AllowBack, allowBack));
            services.GetRequiredService<Crm.Deals.Pipelines.PipelineCatalog>().Changed();
            return true;
        });

    internal static async Task<T> WithScopeAsync<T>(IServiceProvider app, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    internal static async Task WithScopeAsync(IServiceProvider app, Func<IServiceProvider, Task> action)
    {
        await using var scope = app.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }
}
