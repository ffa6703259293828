using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Monitor.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlertPreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alert_preferences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Regions = table.Column<string>(type: "TEXT", nullable: false),
                    SiteIds = table.Column<string>(type: "TEXT", nullable: false),
                    MinSeverity = table.Column<string>(type: "TEXT", nullable: false),
                    Sound = table.Column<bool>(type: "INTEGER", nullable: false),
                    BrowserNotifications = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_preferences", x => x.UserId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_preferences");
        }
    }
}
