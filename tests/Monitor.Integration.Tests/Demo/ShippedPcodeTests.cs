using Monitor.Web.Catalog;

namespace Monitor.Integration.Tests.Demo;

/// <summary>The shipped scenario names each governorate by its OCHA COD-AB admin-1 P-code, one code per governorate.</summary>
public sealed class ShippedPcodeTests
{
    [Fact]
    public async Task Every_site_carries_its_governorates_P_code_and_no_guessed_code_of_its_own()
    {
        var sites = await ScenarioFiles.ReadSitesAsync(Path.Combine(AppContext.BaseDirectory, "seed-data"), CancellationToken.None);

        Assert.All(sites, s => Assert.Matches("^IQG[0-9]{2}$", s.RegionPcode));
        Assert.All(sites, s => Assert.Null(s.Pcode));
        Assert.All(sites.GroupBy(s => s.Region), g => Assert.Single(g.Select(s => s.RegionPcode).Distinct()));
        Assert.Equal(sites.Select(s => s.Region).Distinct().Count(), sites.Select(s => s.RegionPcode).Distinct().Count());
        Assert.Equal("IQG15", sites.Single(s => s.Id == "mosul").RegionPcode);
        Assert.Equal("IQG01", sites.Single(s => s.Id == "ramadi").RegionPcode);
    }
}
