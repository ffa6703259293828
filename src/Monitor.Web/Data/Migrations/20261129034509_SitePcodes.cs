using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitor.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SitePcodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Pcode",
                table: "sites",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegionPcode",
                table: "sites",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Pcode",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "RegionPcode",
                table: "sites");
        }
    }
}
