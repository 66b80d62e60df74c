namespace AssetLedger.Api.Contracts;

/// <summary>
/// The names a string (or each string of a list) may hold, published as the OpenAPI <c>enum</c>. Values are strings
/// in the contracts so that a wrong one is a 422 naming the field, not a binding failure; this keeps the document honest.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute : Attribute
{
    public IReadOnlyList<string> Names { get; }

    /// <summary>Every name of <paramref name="enumType"/> but <paramref name="except"/>.</summary>
    public OneOfAttribute(Type enumType, params string[] except) => Names = Enum.GetNames(enumType).Except(except).ToList();

    /// <summary>Names spelled as the API reads them (e.g. lower case), where they differ from an enum's.</summary>
    public OneOfAttribute(params string[] names) => Names = names;
}
