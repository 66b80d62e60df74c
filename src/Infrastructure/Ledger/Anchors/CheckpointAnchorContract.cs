using System.Reflection;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace AssetLedger.Infrastructure.Ledger.Anchors;

/// <summary>
/// The Solidity contract <c>chain/evm/contracts/CheckpointAnchor.sol</c>: its compiled artifact (embedded from
/// <c>chain/evm/artifacts/CheckpointAnchor.json</c>, written by <c>chain/evm/build.sh</c>) and typed messages for
/// its functions, event and errors. A test checks these signatures against the artifact's ABI.
/// </summary>
public static class CheckpointAnchorContract
{
    public const string ArtifactResource = "AssetLedger.Infrastructure.Chains.CheckpointAnchor.json";

    static readonly Lazy<CompiledArtifact> Compiled = new(Load);

    /// <summary>The artifact as committed (JSON text).</summary>
    public static string ArtifactJson => Compiled.Value.Json;

    /// <summary>Creation bytecode (0x-prefixed hex).</summary>
    public static string Bytecode => Compiled.Value.Bytecode;

    /// <summary>The artifact's ABI (JSON array).</summary>
    public static string Abi => Compiled.Value.Abi;

    sealed record CompiledArtifact(string Json, string Bytecode, string Abi);

    static CompiledArtifact Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ArtifactResource)
            ?? throw new InvalidOperationException($"The contract artifact {ArtifactResource} is not embedded: run chain/evm/build.sh and rebuild.");
        using var reader = new StreamReader(stream);
        var json = reader.ReadToEnd();
        using var doc = JsonDocument.Parse(json);
        return new CompiledArtifact(json, doc.RootElement.GetProperty("bytecode").GetString()!, doc.RootElement.GetProperty("abi").GetRawText());
    }
}

public sealed class CheckpointAnchorDeployment() : ContractDeploymentMessage(CheckpointAnchorContract.Bytecode);

[Function("anchor")]
public sealed class AnchorFunction : FunctionMessage
{
    [Parameter("uint64", "size", 1)] public ulong Size { get; set; }
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32", "prev", 3)] public byte[] Prev { get; set; } = [];
    [Parameter("bytes", "sig", 4)] public byte[] Sig { get; set; } = [];
}

[Function("rootOf", "bytes32")]
public sealed class RootOfFunction : FunctionMessage
{
    [Parameter("uint64", "size", 1)] public ulong Size { get; set; }
}

[Function("entryOf", typeof(EntryOfOutput))]
public sealed class EntryOfFunction : FunctionMessage
{
    [Parameter("uint64", "size", 1)] public ulong Size { get; set; }
}

[FunctionOutput]
public sealed class EntryOfOutput : IFunctionOutputDTO
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = [];
    [Parameter("uint64", "blockNumber", 2)] public ulong BlockNumber { get; set; }
}

[Function("latest", typeof(LatestOutput))]
public sealed class LatestFunction : FunctionMessage;

[FunctionOutput]
public sealed class LatestOutput : IFunctionOutputDTO
{
    [Parameter("uint64", "size", 1)] public ulong Size { get; set; }
    [Parameter("bytes32", "root", 2)] public byte[] Root { get; set; } = [];
}

[Function("owner", "address")]
public sealed class OwnerFunction : FunctionMessage;

[Function("count", "uint64")]
public sealed class CountFunction : FunctionMessage;

[Event("Anchored")]
public sealed class AnchoredEvent : IEventDTO
{
    [Parameter("uint64", "size", 1, true)] public ulong Size { get; set; }
    [Parameter("bytes32", "root", 2, false)] public byte[] Root { get; set; } = [];
    [Parameter("bytes32", "prev", 3, false)] public byte[] Prev { get; set; } = [];
    [Parameter("bytes", "sig", 4, false)] public byte[] Sig { get; set; } = [];
}

[Error("NotOwner")]
public sealed class NotOwnerError
{
    [Parameter("address", "caller", 1)] public string Caller { get; set; } = "";
}

[Error("SizeDoesNotGrow")]
public sealed class SizeDoesNotGrowError
{
    [Parameter("uint64", "size", 1)] public ulong Size { get; set; }
    [Parameter("uint64", "latestSize", 2)] public ulong LatestSize { get; set; }
}

[Error("WrongPrevious")]
public sealed class WrongPreviousError
{
    [Parameter("bytes32", "prev", 1)] public byte[] Prev { get; set; } = [];
    [Parameter("bytes32", "latestRoot", 2)] public byte[] LatestRoot { get; set; } = [];
}

[Error("EmptyRoot")]
public sealed class EmptyRootError;

/// <summary>The contract refused a call; <see cref="Error"/> names the Solidity error (e.g. <c>SizeDoesNotGrow</c>).</summary>
public sealed class CheckpointAnchorRefusedException(string error, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Error { get; } = error;

    /// <summary>Turns a revert with one of the contract's custom errors into a readable refusal; null otherwise.</summary>
    public static CheckpointAnchorRefusedException? From(Exception ex)
    {
        if (ex is not SmartContractCustomErrorRevertException revert) return ex.InnerException is { } inner ? From(inner) : null;
        if (revert.IsCustomErrorFor<SizeDoesNotGrowError>())
        {
            var e = revert.DecodeError<SizeDoesNotGrowError>();
            return new("SizeDoesNotGrow", $"The contract refused size {e.Size}: it already holds size {e.LatestSize} (sizes must grow).", ex);
        }
        if (revert.IsCustomErrorFor<WrongPreviousError>())
        {
            var e = revert.DecodeError<WrongPreviousError>();
            return new("WrongPrevious", $"The contract refused previous root {Convert.ToHexStringLower(e.Prev)}: its last root is {Convert.ToHexStringLower(e.LatestRoot)}.", ex);
        }
        if (revert.IsCustomErrorFor<NotOwnerError>())
            return new("NotOwner", $"The contract refused {revert.DecodeError<NotOwnerError>().Caller}: only the account that deployed it may anchor.", ex);
        if (revert.IsCustomErrorFor<EmptyRootError>()) return new("EmptyRoot", "The contract refused an all-zero root.", ex);
        return new("Unknown", $"The contract reverted with {revert.ExceptionEncodedData}.", ex);
    }
}

internal static class Bytes32
{
    public static readonly byte[] Zero = new byte[32];
    public static bool IsZero(byte[]? b) => b is null || b.All(x => x == 0);
}
