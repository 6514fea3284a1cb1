using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using Xunit;

namespace Crm.ArchitectureTests;

/// <summary>The module rules of shared/spec/ARCHITECTURE.md and docs/adr/0001, checked on the built assemblies.</summary>
public sealed class ModuleRulesTests
{
    /// <summary>Every module the host composes: the assemblies named Crm.X that are neither contracts nor kernel.</summary>
    private static readonly Assembly[] Modules = typeof(Program).Assembly.GetReferencedAssemblies()
        .Where(name => name.Name!.StartsWith("Crm.", StringComparison.Ordinal)
            && !name.Name.EndsWith(".Contracts", StringComparison.Ordinal)
            && name.Name != "Crm.SharedKernel")
        .Select(Assembly.Load)
        .ToArray();

    private static readonly Assembly[] Contracts = Modules
        .Select(module => module.GetReferencedAssemblies().FirstOrDefault(name => name.Name == module.GetName().Name + ".Contracts"))
        .OfType<AssemblyName>()
        .Select(Assembly.Load)
        .ToArray();

    private static readonly Assembly SharedKernel = typeof(Crm.SharedKernel.Access.IAccessPolicy).Assembly;

    [Fact]
    public void The_host_composes_at_least_the_identity_module()
    {
        Assert.Contains(Modules, module => module.GetName().Name == "Crm.Identity");
        Assert.Contains(Contracts, contract => contract.GetName().Name == "Crm.Identity.Contracts");
    }

    [Fact]
    public void A_module_uses_another_module_only_through_its_contracts()
    {
        foreach (var module in Modules)
        {
            var others = Modules.Where(other => other != module).SelectMany(TypeNames).ToArray();
            if (others.Length == 0)
            {
                continue;
            }

            var result = Types.InAssembly(module).ShouldNot().HaveDependencyOnAny(others).GetResult();

            Assert.True(result.IsSuccessful, $"{module.GetName().Name} reaches into another module: {Failing(result)}");
        }
    }

    [Fact]
    public void Contracts_depend_on_no_module_implementation()
    {
        var modules = Modules.SelectMany(TypeNames).ToArray();
        foreach (var contract in Contracts)
        {
            var result = Types.InAssembly(contract).ShouldNot().HaveDependencyOnAny(modules).GetResult();

            Assert.True(result.IsSuccessful, $"{contract.GetName().Name} depends on a module: {Failing(result)}");
        }
    }

    [Fact]
    public void The_shared_kernel_depends_on_no_module_and_not_on_the_host()
    {
        var forbidden = Modules.Concat(Contracts).Append(typeof(Program).Assembly).SelectMany(TypeNames).ToArray();

        var result = Types.InAssembly(SharedKernel).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"The shared kernel depends on a module: {Failing(result)}");
    }

    [Fact]
    public void DbContexts_are_not_public()
    {
        foreach (var module in Modules)
        {
            var result = Types.InAssembly(module).That().Inherit(typeof(DbContext)).ShouldNot().BePublic().GetResult();

            Assert.True(result.IsSuccessful, $"Public DbContext in {module.GetName().Name}: {Failing(result)}");
        }
    }

    [Fact]
    public void A_module_exposes_only_its_entry_class_and_nothing_else()
    {
        foreach (var module in Modules)
        {
            var entry = module.GetName().Name!["Crm.".Length..] + "Module";
            // EF Core generates migrations as public classes; they are code of the tool, not a surface.
            var exposed = module.GetExportedTypes()
                .Where(type => type.Name != entry
                    && !typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).IsAssignableFrom(type)
                    && !typeof(Microsoft.EntityFrameworkCore.Infrastructure.ModelSnapshot).IsAssignableFrom(type))
                .Select(type => type.FullName)
                .ToList();

            Assert.True(exposed.Count == 0, $"{module.GetName().Name} exposes more than {entry}: {string.Join(", ", exposed)}");
        }
    }

    [Fact]
    public void Every_module_has_its_own_schema_and_migrations_history_table()
    {
        foreach (var module in Modules)
        {
            var contexts = module.GetTypes().Where(type => typeof(DbContext).IsAssignableFrom(type) && !type.IsAbstract).ToList();
            Assert.NotEmpty(contexts);
            foreach (var context in contexts)
            {
                var schema = context.GetField("Schema", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
                Assert.False(string.IsNullOrEmpty(schema), $"{context.Name} declares no Schema constant.");
                Assert.NotEqual("public", schema);
            }
        }
    }

    [Fact]
    public void Module_controllers_live_in_an_area_named_after_the_module()
    {
        foreach (var module in Modules)
        {
            var area = module.GetName().Name!["Crm.".Length..];
            var controllers = module.GetTypes().Where(type => typeof(ControllerBase).IsAssignableFrom(type) && !type.IsAbstract);
            foreach (var controller in controllers)
            {
                Assert.Equal(area, controller.GetCustomAttribute<AreaAttribute>()?.RouteValue);
            }
        }
    }

    /// <summary>
    /// Full type names: NetArchTest matches dependencies by prefix, so the namespace "Crm.Identity" would
    /// also match "Crm.Identity.Contracts".
    /// </summary>
    private static IEnumerable<string> TypeNames(Assembly assembly) =>
        assembly.GetTypes().Where(type => type.FullName is not null && !type.FullName.Contains('<', StringComparison.Ordinal)).Select(type => type.FullName!);

    private static string Failing(TestResult result) => string.Join(", ", result.FailingTypeNames ?? []);
}
