namespace Crm.Bench.Datasets;

/// <summary>One module's generated data, loaded with binary COPY (never one INSERT per row).</summary>
internal interface IBenchDataset
{
    string Name { get; }

    Task<long> LoadAsync(string connectionString, string size);
}
