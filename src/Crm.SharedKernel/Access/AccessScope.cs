namespace Crm.SharedKernel.Access;

/// <summary>How far a user's right reaches. Ordered: a higher value includes the lower ones.</summary>
public enum AccessScope
{
    None = 0,
    Own = 1,
    /// <summary>The user's department and all its sub-departments.</summary>
    Department = 2,
    All = 3,
}

public enum AccessAction
{
    View,
    Create,
    Edit,
    Delete,
    Export,
    Import,
}
