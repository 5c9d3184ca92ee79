using MkVerified.Experiments;
using MkVerified.Hardware;

namespace MkVerified.Tests.Experiments;

/// <summary>The fitter behind <c>mk calibrate</c> finds its way back to Table 2 from a parameter set far off.</summary>
public class ModelFitTests
{
    [Fact]
    public void A_home_occupancy_far_off_is_fitted_back_to_within_ten_percent_of_table_2()
    {
        var model = ModelCatalog.Load("amd-2x2");
        var off = model with { Coherence = model.Coherence with { HomeOccupancy = 300 } };
        Assert.True(ModelFit.Measure(off, full: true).Any(r => Math.Max(Math.Abs(r.LatencyError), Math.Abs(r.ThroughputError)) > 10), "the starting point should be off");
        var fit = ModelFit.Run(off, ["homeOccupancy"], restarts: 0, seed: 1);
        Assert.True(fit.WorstErrorPercent <= 10, $"worst error after the fit: {fit.WorstErrorPercent:F1}%");
        Assert.InRange(fit.Model.Coherence.HomeOccupancy, 1, 299);
    }

    [Fact]
    public void Only_named_parameters_of_a_table_2_machine_can_be_fitted()
    {
        Assert.Throws<ArgumentException>(() => ModelFit.Run(ModelCatalog.Load("synthetic-256"), ["homeOccupancy"], 0, 1));
        Assert.Throws<ArgumentException>(() => ModelFit.Run(ModelCatalog.Load("amd-2x2"), ["clockGHz"], 0, 1));
    }
}
