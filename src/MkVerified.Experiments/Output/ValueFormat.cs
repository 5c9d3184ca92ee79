using System.Globalization;

namespace MkVerified.Experiments.Output;

/// <summary>One invariant text form for every value, so tables, CSV and JSON agree and are byte-for-byte reproducible.</summary>
public static class ValueFormat
{
    public static string Text(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public static double Number(object value) => value switch
    {
        long l => l,
        int i => i,
        double d => d,
        _ => double.NaN,
    };
}
