namespace AssetLedger.Domain.Chains;

/// <summary>
/// Every limit on what a chain registry command carries: <see cref="ChainRules"/> and <see cref="ChainWitnesses"/>
/// enforce them, and the API's request contracts publish the same numbers in the OpenAPI document.
/// </summary>
/// <remarks>Each pattern is published as <c>^…$</c>; the rules match its core between <c>\A</c> and <c>\z</c>, since .NET's <c>$</c>
/// also matches before a final newline.</remarks>
public static class ChainLimits
{
    /// <summary>Alliance, network, contract, target and witness ids; Fabric MSP ids.</summary>
    public const int Id = 64;
    public const string IdCore = "[a-z0-9][a-z0-9._-]{0,63}";
    public const string IdPattern = "^" + IdCore + "$";
    public const string MspIdCore = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public const string MspIdPattern = "^" + MspIdCore + "$";

    /// <summary>Display names of alliances, members and networks.</summary>
    public const int Name = 200;
    public const int Members = 100;

    public const int Endpoints = 10;
    public const int Url = 500;
    public const int TlsRoots = 10;
    public const int Pem = 20_000;

    public const int Channel = 249;
    public const string ChannelCore = "[a-z][a-z0-9.-]{0,248}";
    public const string ChannelPattern = "^" + ChannelCore + "$";
    public const int Chaincode = 100;
    public const string ChaincodeCore = "[A-Za-z0-9]+([-_][A-Za-z0-9]+)*";
    public const string ChaincodePattern = "^" + ChaincodeCore + "$";
    public const string AddressCore = "0x[0-9a-fA-F]{40}";
    public const string AddressPattern = "^" + AddressCore + "$";
    public const int AbiVersion = 32;
    public const string AbiVersionCore = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}";
    public const string AbiVersionPattern = "^" + AbiVersionCore + "$";

    /// <summary>A file path naming where a secret is kept.</summary>
    public const int Path = 1024;
    public const int EnvName = 128;
    public const string EnvCore = "[A-Za-z_][A-Za-z0-9_]{0,127}";
    public const string EnvPattern = "^" + EnvCore + "$";
    public const int Host = 253;

    /// <summary>A cosignature/v1 verifier key: name (≤ 200) + 8 hex digits + base64 of the key.</summary>
    public const int VerifierKey = 310;
}
