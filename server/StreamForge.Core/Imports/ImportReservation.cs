namespace StreamForge.Core.Imports;

/// <summary>What reserving the next part of an import found.</summary>
public enum ImportReservation
{
    /// <summary>The part's bytes are charged to the owner and counted on the session.</summary>
    Reserved,
    /// <summary>The owner's quota has no room for the part (another upload or import may have taken it meanwhile).</summary>
    OverQuota,
    /// <summary>The import was aborted, deleted or expired meanwhile: stop and discard.</summary>
    Gone,
}
