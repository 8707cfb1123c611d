namespace StreamForge.Core.Imports;

/// <summary>The most an import may store, and which limit set it (for the sentence the owner reads).</summary>
public sealed record ImportCap(long Bytes, bool ByQuota)
{
    public string TooLargeMessage => ByQuota
        ? $"The file is larger than your remaining quota of {ImportRules.Megabytes(Bytes)} MB; it was stopped there and discarded."
        : $"The file is larger than the upload limit of {ImportRules.Megabytes(Bytes)} MB; it was stopped there and discarded.";
}
