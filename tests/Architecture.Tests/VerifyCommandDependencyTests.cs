using AssetLedger.Cli.Commands;
using Mono.Cecil;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// <c>assetledger verify</c>, which a court runs, checks a bundle with the Ledger and asks the chains with the online
/// receipt checks; nothing on its path touches PostgreSQL. Read from the IL (Mono.Cecil): every type VerifyCommand's
/// code names (its lambdas and async state machines included), and every type those name in turn within our own
/// assemblies.
/// </summary>
public class VerifyCommandDependencyTests
{
    /// <summary>The chains' online checks VerifyCommand may use from Infrastructure; everything else it uses of ours is the Ledger's.</summary>
    static readonly string[] OnlineChecks =
    [
        "AssetLedger.Infrastructure.Evidence.OnlineReceiptChecker", "AssetLedger.Infrastructure.Evidence.OnlineOptions",
        "AssetLedger.Infrastructure.Evidence.EvmEndpoint", "AssetLedger.Infrastructure.Evidence.FabricGatewayOptions",
    ];

    static readonly string[] Storage = ["Npgsql", "Dapper", "dbup"];

    [Fact]
    public void VerifyCommand_uses_the_ledger_and_the_online_receipt_checks_only()
    {
        var cli = Load(typeof(VerifyCommand).Assembly.Location);
        var verify = cli.MainModule.GetType(typeof(VerifyCommand).FullName);
        var ours = TypesNamedBy(verify).Where(t => AssemblyOf(t).StartsWith("AssetLedger.", StringComparison.Ordinal)).Select(t => t.FullName).Distinct().Order().ToList();
        var others = ours.Where(t => !t.StartsWith("AssetLedger.Ledger.", StringComparison.Ordinal) && !OnlineChecks.Contains(t)).ToList();
        Assert.Contains("AssetLedger.Ledger.Evidence.BundleVerifier", ours);
        Assert.True(others.Count == 0, $"VerifyCommand uses {string.Join(", ", others)}; the verify path uses the Ledger and the online receipt checks only.");
    }

    [Fact]
    public void Nothing_on_the_verify_path_references_a_PostgreSQL_type()
    {
        var cli = Load(typeof(VerifyCommand).Assembly.Location);
        var start = cli.MainModule.GetType(typeof(VerifyCommand).FullName);
        var reached = new Dictionary<string, TypeDefinition>(StringComparer.Ordinal) { [start.FullName] = start };
        var work = new Queue<TypeDefinition>([start]);
        var storage = new List<string>();
        while (work.TryDequeue(out var type))
        {
            foreach (var used in TypesNamedBy(type))
            {
                var assembly = AssemblyOf(used);
                if (Storage.Any(s => assembly.StartsWith(s, StringComparison.OrdinalIgnoreCase))) storage.Add($"{type.FullName} uses {used.FullName} ({assembly})");
                if (!assembly.StartsWith("AssetLedger.", StringComparison.Ordinal) || reached.ContainsKey(used.FullName)) continue;
                var definition = used.Resolve() ?? throw new InvalidOperationException($"cannot resolve {used.FullName} in {assembly}");
                reached[used.FullName] = definition;
                work.Enqueue(definition);
            }
        }
        Assert.True(storage.Count == 0, $"The verify path reaches PostgreSQL:\n{string.Join("\n", storage.Distinct().Take(20))}");
    }

    static AssemblyDefinition Load(string path)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        return AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = resolver });
    }

    static string AssemblyOf(TypeReference t) => t.Scope switch
    {
        AssemblyNameReference a => a.Name,
        ModuleDefinition m => m.Assembly.Name.Name,
        _ => t.Scope?.Name ?? "",
    };

    /// <summary>The types a type's declaration and code name: base, interfaces, fields, signatures, locals, and IL operands; its nested types too.</summary>
    static IEnumerable<TypeReference> TypesNamedBy(TypeDefinition type)
    {
        var named = new List<TypeReference>();
        if (type.BaseType is not null) named.Add(type.BaseType);
        named.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        named.AddRange(type.Fields.Select(f => f.FieldType));
        foreach (var method in type.Methods)
        {
            named.Add(method.ReturnType);
            named.AddRange(method.Parameters.Select(p => p.ParameterType));
            if (!method.HasBody) continue;
            named.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: named.Add(t); break;
                    case FieldReference f: named.Add(f.DeclaringType); named.Add(f.FieldType); break;
                    case MethodReference m:
                        named.Add(m.DeclaringType);
                        named.Add(m.ReturnType);
                        named.AddRange(m.Parameters.Select(p => p.ParameterType));
                        if (m is GenericInstanceMethod g) named.AddRange(g.GenericArguments);
                        break;
                }
            }
        }
        foreach (var nested in type.NestedTypes) named.AddRange(TypesNamedBy(nested));
        return named.SelectMany(Unwrap).Where(t => t is not GenericParameter);
    }

    /// <summary>A type and, for an array, pointer or generic instance, the types it is made of.</summary>
    static IEnumerable<TypeReference> Unwrap(TypeReference t)
    {
        switch (t)
        {
            case GenericInstanceType g:
                foreach (var x in Unwrap(g.ElementType)) yield return x;
                foreach (var a in g.GenericArguments) foreach (var x in Unwrap(a)) yield return x;
                break;
            case TypeSpecification s:
                foreach (var x in Unwrap(s.ElementType)) yield return x;
                break;
            case GenericParameter:
                break;
            default:
                yield return t;
                break;
        }
    }
}
