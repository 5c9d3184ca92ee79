namespace MkVerified.Experiments;

/// <summary>One row of an experiment: named fields in a fixed order (the JSON field order), values long, double or string.</summary>
public sealed class ResultRow
{
    private readonly List<KeyValuePair<string, object>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, object>> Fields => _fields;

    public ResultRow Add(string name, object value)
    {
        _fields.Add(new(name, value));
        return this;
    }

    public object this[string name] => _fields.First(f => f.Key == name).Value;

    public bool Has(string name) => _fields.Any(f => f.Key == name);
}

/// <summary>
/// How to draw an experiment. Series are either one per name returned by <paramref name="SeriesOf"/> (with the
/// first y field), or one per y field when it is null. Bars group by x value; lines join points in x order.
/// </summary>
public sealed record PlotSpec(
    string Title,
    string XField,
    IReadOnlyList<string> YFields,
    string XLabel,
    string YLabel,
    Func<ResultRow, string>? SeriesOf = null,
    bool Bars = false,
    Func<ResultRow, bool>? Include = null)
{
    public string FileSuffix { get; init; } = "";
}

/// <summary>
/// The outcome of one experiment on one machine. <see cref="Fitted"/> names the columns whose values the model's
/// parameters were fitted to reproduce (agreement there is by construction, not validation); <see cref="Predicted"/>
/// the columns the model predicts from those parameters and the protocols' own messages.
/// </summary>
public sealed record ExperimentResult(string Experiment, string Machine, IReadOnlyList<ResultRow> Rows, IReadOnlyList<PlotSpec> Plots, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<string> Fitted { get; init; } = [];
    public IReadOnlyList<string> Predicted { get; init; } = [];

    /// <summary>The columns measured on the host's cores (the threads backend): real timings, neither fitted nor predicted.</summary>
    public IReadOnlyList<string> Measured { get; init; } = [];

    /// <summary>What produced it (set by the command that ran it); written into its JSON and CSV when present.</summary>
    public Provenance? Provenance { get; init; }
}
