using System.Text.Json;
using MkVerified.Experiments;
using MkVerified.Experiments.Output;
using MkVerified.Hardware;

namespace MkVerified.Tests.Experiments;

/// <summary>Results say which columns were fitted to the paper and which the model predicts.</summary>
public class FittedColumnsTests
{
    private static (string[] Fitted, string[] Predicted) Roles(ExperimentResult result)
    {
        using var doc = JsonDocument.Parse(JsonResultWriter.Render(result));
        string[] Read(string name) => doc.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
        return (Read("fitted"), Read("predicted"));
    }

    [Fact]
    public void Urpc_on_a_paper_machine_is_fitted_and_on_any_other_machine_predicted()
    {
        var paper = Roles(new UrpcExperiment().Run(ModelCatalog.Load("amd-2x2")));
        Assert.Equal(["latencyCycles", "throughputMsgsPerKcycle"], paper.Fitted);
        Assert.Empty(paper.Predicted);
        var synthetic = Roles(new UrpcExperiment().Run(ModelCatalog.Load("synthetic-256")));
        Assert.Empty(synthetic.Fitted);
        Assert.Equal(["latencyCycles", "throughputMsgsPerKcycle"], synthetic.Predicted);
    }

    [Fact]
    public void Every_other_experiment_is_a_prediction_with_nothing_fitted()
    {
        foreach (var experiment in ExperimentCatalog.All.Where(e => e.Name != "urpc"))
        {
            var result = experiment.Run(ModelCatalog.Load("amd-2x2"));
            var (fitted, predicted) = Roles(result);
            Assert.Empty(fitted);
            Assert.NotEmpty(predicted);
            Assert.All(predicted, column => Assert.Contains(result.Rows, r => r.Has(column)));
        }
    }
}
