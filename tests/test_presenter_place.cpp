// The presenter window's monitor rule (app/gl/presenter_place.h), over injected monitor lists:
// Xvfb shows GLFW one monitor, so a second screen is only ever tested here.
#include <gtest/gtest.h>

#include "app/gl/presenter_place.h"

namespace {

const MonitorInfo kLaptop{"eDP-1", 0, 0, 1920, 1080, true};
const MonitorInfo kProjector{"HDMI-1", 1920, 0, 1280, 720, false};
const MonitorInfo kBigScreen{"DP-2", -2560, 0, 2560, 1440, false};
const ScreenRect kMainOnLaptop{100, 80, 1280, 720};

}  // namespace

TEST(PresenterPlace, GoesToTheMonitorWithoutTheMainWindow) {
    const PresenterPlace place = place_presenter({kLaptop, kProjector}, kMainOnLaptop, false);
    EXPECT_EQ(place.monitor, 1);
    EXPECT_FALSE(place.full_screen);
    EXPECT_TRUE(place.notice.empty());
    // The main window's size fits the projector exactly: it fills it, on it.
    EXPECT_EQ(place.rect.x, 1920);
    EXPECT_EQ(place.rect.y, 0);
    EXPECT_EQ(place.rect.width, 1280);
    EXPECT_EQ(place.rect.height, 720);
}

TEST(PresenterPlace, FullScreenTakesTheWholeOtherMonitor) {
    const PresenterPlace place = place_presenter({kLaptop, kProjector}, kMainOnLaptop, true);
    EXPECT_EQ(place.monitor, 1);
    EXPECT_TRUE(place.full_screen);
    EXPECT_EQ(place.rect.x, kProjector.x);
    EXPECT_EQ(place.rect.width, kProjector.width);
    EXPECT_EQ(place.rect.height, kProjector.height);
}

TEST(PresenterPlace, TheMainWindowOnTheSecondMonitorSendsThePresenterToThePrimary) {
    const ScreenRect on_projector{2000, 50, 1000, 600};
    const PresenterPlace place = place_presenter({kLaptop, kProjector}, on_projector, false);
    EXPECT_EQ(place.monitor, 0);
    // A window of the main one's size, centred on the laptop's screen.
    EXPECT_EQ(place.rect.width, 1000);
    EXPECT_EQ(place.rect.x, (1920 - 1000) / 2);
    EXPECT_EQ(place.rect.y, (1080 - 600) / 2);
}

TEST(PresenterPlace, OfSeveralOthersTheLargestWinsAndSizesAreClipped) {
    const ScreenRect huge{0, 0, 3000, 2000};  // centre on the laptop, larger than any monitor
    const PresenterPlace place = place_presenter({kLaptop, kProjector, kBigScreen}, huge, false);
    EXPECT_EQ(place.monitor, 2);
    EXPECT_EQ(place.rect.width, kBigScreen.width);
    EXPECT_EQ(place.rect.height, kBigScreen.height);
    EXPECT_EQ(place.rect.x, kBigScreen.x);
}

TEST(PresenterPlace, OneMonitorIsAnOrdinaryWindowBesideTheMainOne) {
    const MonitorInfo wide{"screen", 0, 0, 2600, 800, true};
    const PresenterPlace place = place_presenter({wide}, {0, 0, 1280, 720}, false);
    EXPECT_EQ(place.monitor, -1);
    EXPECT_FALSE(place.full_screen);
    EXPECT_TRUE(place.notice.empty());
    EXPECT_EQ(place.rect.x, 1280);  // to the right, where there is room
    EXPECT_EQ(place.rect.width, 1280);
    // No room at the right: at the left.
    EXPECT_EQ(place_presenter({wide}, {1320, 0, 1280, 720}, false).rect.x, 40);
    // No room either side: over it, offset, still on the screen.
    const PresenterPlace over = place_presenter({kLaptop}, kMainOnLaptop, false);
    EXPECT_EQ(over.rect.x, 140);
    EXPECT_EQ(over.rect.y, 120);
}

TEST(PresenterPlace, FullScreenWithOneMonitorIsAWindowAndANoticeNamingIt) {
    const PresenterPlace place = place_presenter({kLaptop}, kMainOnLaptop, true);
    EXPECT_EQ(place.monitor, -1);
    EXPECT_FALSE(place.full_screen);
    EXPECT_NE(place.notice.find("second monitor"), std::string::npos) << place.notice;
    EXPECT_NE(place.notice.find("eDP-1"), std::string::npos) << place.notice;
    const PresenterPlace none = place_presenter({}, kMainOnLaptop, true);
    EXPECT_FALSE(none.full_screen);
    EXPECT_NE(none.notice.find("none is known"), std::string::npos) << none.notice;
    EXPECT_EQ(none.rect.width, kMainOnLaptop.width);
}
