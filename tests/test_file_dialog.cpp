// The file dialog's model (FileBrowser) on a real folder tree: listing, filtering, moving
// around, what a typed path resolves to and the errors it gives, recent folders. Then the
// drawn dialog through ImGui frames without a GPU: it opens, lists, and a typed name plus
// Enter returns the path exactly once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <imgui.h>
#include <unistd.h>

#include "app/panels/file_dialog.h"

namespace fs = std::filesystem;

namespace {

class FileBrowserTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("aelab_file_dialog_" + std::to_string(getpid()));
        fs::remove_all(root);
        fs::create_directories(root);
        root = fs::canonical(root);  // the browser shows folders with links resolved
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(root / "locked", fs::perms::owner_all, ec);  // or remove_all fails
        fs::remove_all(root, ec);
    }

    void write(const fs::path& relative, size_t bytes = 0) {
        fs::create_directories((root / relative).parent_path());
        std::ofstream(root / relative) << std::string(bytes, 'x');
    }

    static std::vector<std::string> names(const FileBrowser& b) {
        std::vector<std::string> all;
        for (const FileBrowser::Entry& e : b.entries())
            all.push_back(e.is_folder ? e.name + "/" : e.name);
        return all;
    }
    static const FileBrowser::Entry& entry(const FileBrowser& b, const std::string& name) {
        for (const FileBrowser::Entry& e : b.entries())
            if (e.name == name) return e;
        ADD_FAILURE() << "no entry " << name;
        static const FileBrowser::Entry none;
        return none;
    }
    static bool mentions(const std::string& error, const std::string& what) {
        return error.find(what) != std::string::npos;
    }

    fs::path root;
};

TEST_F(FileBrowserTest, ListsFoldersFirstThenFilesEachSortedIgnoringCase) {
    write("b.aelab");
    write("C.aelab");
    write("a.aelab");
    fs::create_directories(root / "zeta");
    fs::create_directories(root / "Alpha");
    fs::create_directories(root / "beta.aelab");  // a folder, whatever its name
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    EXPECT_EQ(b.folder(), root);
    EXPECT_EQ(names(b), (std::vector<std::string>{"Alpha/", "beta.aelab/", "zeta/", "a.aelab",
                                                  "b.aelab", "C.aelab"}));
}

TEST_F(FileBrowserTest, ListsOnlyFilesWithTheExtensionIgnoringCase) {
    write("run.aelab");
    write("LOUD.AELAB");
    write("notes.txt");
    write("run.aelab.bak");
    write("aelab");          // the extension's letters without its dot
    FileBrowser b("aelab");  // the dot is optional
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    EXPECT_EQ(names(b), (std::vector<std::string>{"LOUD.AELAB", "run.aelab"}));

    FileBrowser all("");
    ASSERT_TRUE(all.open_folder(root)) << all.error();
    EXPECT_EQ(names(all), (std::vector<std::string>{"aelab", "LOUD.AELAB", "notes.txt", "run.aelab",
                                                    "run.aelab.bak"}));
}

TEST_F(FileBrowserTest, LeavesOutHiddenEntriesAndDotDot) {
    write(".hidden.aelab");
    write(".git/config");
    write("seen.aelab");
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    EXPECT_EQ(names(b), std::vector<std::string>{"seen.aelab"});
}

TEST_F(FileBrowserTest, ReportsFileSizes) {
    write("five.aelab", 5000);
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    EXPECT_EQ(entry(b, "five.aelab").size_bytes, 5000u);
    EXPECT_EQ(format_file_size(0), "0 B");
    EXPECT_EQ(format_file_size(999), "999 B");
    EXPECT_EQ(format_file_size(1500), "1.5 KB");
    EXPECT_EQ(format_file_size(5'300'000), "5.3 MB");
    EXPECT_EQ(format_file_size(999'999), "1.0 MB");  // not "1000.0 KB"
    EXPECT_EQ(format_file_size(2'000'000'000), "2.0 GB");
}

TEST_F(FileBrowserTest, EntersFoldersAndGoesUp) {
    write("sub/inner.aelab");
    write("top.aelab");
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    EXPECT_FALSE(b.enter(entry(b, "top.aelab")));  // a file is not entered
    EXPECT_EQ(b.folder(), root);
    ASSERT_TRUE(b.enter(entry(b, "sub"))) << b.error();
    EXPECT_EQ(b.folder(), root / "sub");
    EXPECT_EQ(names(b), std::vector<std::string>{"inner.aelab"});
    ASSERT_TRUE(b.go_up()) << b.error();
    EXPECT_EQ(b.folder(), root);
    EXPECT_EQ(names(b), (std::vector<std::string>{"sub/", "top.aelab"}));

    ASSERT_TRUE(b.open_folder("/"));
    EXPECT_FALSE(b.go_up());  // the root has no parent
    EXPECT_EQ(b.folder(), fs::path("/"));
}

TEST_F(FileBrowserTest, SelectingAFilePutsItsNameInTheTypedPath) {
    write("pick.aelab");
    fs::create_directories(root / "folder");
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    b.select(entry(b, "folder"));
    EXPECT_EQ(b.typed(), "");
    b.select(entry(b, "pick.aelab"));
    EXPECT_EQ(b.typed(), "pick.aelab");
}

TEST_F(FileBrowserTest, OpenFolderFailsWithAMessageNamingTheFolder) {
    write("file.aelab");
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();

    EXPECT_FALSE(b.open_folder(root / "missing"));
    EXPECT_TRUE(mentions(b.error(), (root / "missing").string())) << b.error();
    EXPECT_TRUE(mentions(b.error(), "does not exist")) << b.error();
    EXPECT_EQ(b.folder(), root);  // still where it was, still listed
    EXPECT_EQ(names(b), std::vector<std::string>{"file.aelab"});

    EXPECT_FALSE(b.open_folder(root / "file.aelab"));
    EXPECT_TRUE(mentions(b.error(), "not a folder")) << b.error();

    ASSERT_TRUE(b.open_folder(root));
    EXPECT_EQ(b.error(), "");  // success clears the last error
}

TEST_F(FileBrowserTest, AFolderWithoutReadPermissionIsReportedNotThrown) {
    fs::create_directories(root / "locked");
    fs::permissions(root / "locked", fs::perms::none);
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    const bool opened = b.open_folder(root / "locked");
    if (geteuid() == 0) GTEST_SKIP() << "root reads any folder";
    EXPECT_FALSE(opened);
    EXPECT_TRUE(mentions(b.error(), (root / "locked").string())) << b.error();
    EXPECT_TRUE(mentions(b.error(), "Cannot read folder")) << b.error();
    EXPECT_EQ(b.folder(), root);
}

TEST_F(FileBrowserTest, ResolveForOpen) {
    write("run.aelab");
    write("sub/deep.aelab");
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();

    EXPECT_EQ(b.resolve("missing.aelab", FileMode::Open), std::nullopt);
    EXPECT_TRUE(mentions(b.error(), (root / "missing.aelab").string())) << b.error();
    EXPECT_TRUE(mentions(b.error(), "does not exist")) << b.error();

    EXPECT_EQ(b.resolve("run.aelab", FileMode::Open), root / "run.aelab");
    EXPECT_EQ(b.error(), "");
    EXPECT_EQ(b.resolve("  run.aelab ", FileMode::Open), root / "run.aelab");  // stray spaces
    EXPECT_EQ(b.resolve("run", FileMode::Open), root / "run.aelab");  // as Save would name it
    EXPECT_EQ(b.resolve((root / "sub/deep.aelab").string(), FileMode::Open),
              root / "sub/deep.aelab");
    EXPECT_EQ(b.resolve("", FileMode::Open), std::nullopt);
    EXPECT_NE(b.error(), "");

    // A folder navigates, with no error.
    EXPECT_EQ(b.resolve("sub", FileMode::Open), std::nullopt);
    EXPECT_EQ(b.error(), "");
    EXPECT_EQ(b.folder(), root / "sub");
    EXPECT_EQ(b.resolve("../run.aelab", FileMode::Open), root / "run.aelab");
    EXPECT_EQ(b.resolve("..", FileMode::Open), std::nullopt);
    EXPECT_EQ(b.folder(), root);
}

TEST_F(FileBrowserTest, ResolveForSave) {
    write("old.aelab");
    fs::create_directories(root / "runs.aelab");  // a folder with the extension
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();

    EXPECT_EQ(b.resolve("new", FileMode::Save), root / "new.aelab");
    EXPECT_EQ(b.resolve("NEW.AELAB", FileMode::Save), root / "NEW.AELAB");  // has it already
    EXPECT_EQ(b.resolve("new.txt", FileMode::Save), root / "new.txt.aelab");
    EXPECT_EQ(b.resolve("old", FileMode::Save), root / "old.aelab");  // overwriting: allowed

    EXPECT_EQ(b.resolve("runs", FileMode::Save), std::nullopt);
    EXPECT_TRUE(mentions(b.error(), (root / "runs.aelab").string())) << b.error();
    EXPECT_TRUE(mentions(b.error(), "is a folder")) << b.error();

    EXPECT_EQ(b.resolve("nope/run", FileMode::Save), std::nullopt);
    EXPECT_TRUE(mentions(b.error(), (root / "nope").string())) << b.error();
    EXPECT_TRUE(mentions(b.error(), "does not exist")) << b.error();
    EXPECT_EQ(b.folder(), root);

    EXPECT_EQ(b.resolve("", FileMode::Save), std::nullopt);
    EXPECT_NE(b.error(), "");
}

TEST_F(FileBrowserTest, TildeIsHome) {
    write("home/saved.aelab");
    const char* old_home = std::getenv("HOME");
    const std::string restore = old_home ? old_home : "";
    setenv("HOME", (root / "home").c_str(), 1);
    FileBrowser b(".aelab");
    ASSERT_TRUE(b.open_folder(root)) << b.error();
    const auto opened = b.resolve("~/saved.aelab", FileMode::Open);
    const auto saved = b.resolve("~/next", FileMode::Save);
    const auto went_home = b.resolve("~", FileMode::Open);
    const fs::path folder = b.folder();
    if (old_home)
        setenv("HOME", restore.c_str(), 1);
    else
        unsetenv("HOME");

    EXPECT_EQ(opened, root / "home/saved.aelab");
    EXPECT_EQ(saved, root / "home/next.aelab");
    EXPECT_EQ(went_home, std::nullopt);
    EXPECT_EQ(folder, root / "home");
}

TEST_F(FileBrowserTest, RecentFoldersMostRecentFirstWithoutRepeatsAtMostEight) {
    FileBrowser b(".aelab");
    b.remember("/a");
    b.remember("/b");
    b.remember("/a/");  // the same folder
    EXPECT_EQ(b.recent(), (std::vector<fs::path>{"/a", "/b"}));
    for (int i = 0; i < 10; ++i) b.remember("/f" + std::to_string(i));
    ASSERT_EQ(b.recent().size(), FileBrowser::kMaxRecent);
    EXPECT_EQ(b.recent().front(), fs::path("/f9"));
    EXPECT_EQ(b.recent().back(), fs::path("/f2"));

    FileBrowser copy(".aelab");
    copy.remember("/stale");
    copy.recent_from_lines(b.recent_to_lines());
    EXPECT_EQ(copy.recent(), b.recent());

    copy.recent_from_lines("/x\r\n\n  \n/y\n/x\n");  // Windows line ends, blanks, a repeat
    EXPECT_EQ(copy.recent(), (std::vector<fs::path>{"/x", "/y"}));
    EXPECT_EQ(copy.recent_to_lines(), "/x\n/y\n");
}

// ---- the drawn dialog ---------------------------------------------------------------------

class FileDialogFrames : public FileBrowserTest {
protected:
    void SetUp() override {
        FileBrowserTest::SetUp();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
        io.KeyMap[ImGuiKey_Enter] = 1;
        io.KeyMap[ImGuiKey_Escape] = 2;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    void TearDown() override {
        ImGui::DestroyContext();
        FileBrowserTest::TearDown();
    }

    // One frame; `key` (a KeyMap index) is held down during it, `text` typed.
    std::optional<fs::path> frame(FileDialog& dialog, int key = -1, const char* text = nullptr) {
        ImGuiIO& io = ImGui::GetIO();
        for (bool& down : io.KeysDown) down = false;
        if (key >= 0) io.KeysDown[key] = true;
        if (text) io.AddInputCharactersUTF8(text);
        ImGui::NewFrame();
        std::optional<fs::path> chosen = dialog.draw();
        ImGui::Render();
        vertices = ImGui::GetDrawData()->TotalVtxCount;
        return chosen;
    }

    int vertices = 0;
};

TEST_F(FileDialogFrames, TypedNameAndEnterReturnThePathOnce) {
    write("a.aelab", 10);
    fs::create_directories(root / "sub");
    FileDialog dialog(".aelab");
    ASSERT_TRUE(dialog.browser().open_folder(root));
    EXPECT_EQ(frame(dialog), std::nullopt);
    EXPECT_EQ(vertices, 0);  // closed: draws nothing
    EXPECT_FALSE(dialog.is_open());

    dialog.open(FileMode::Save, "Save run");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(frame(dialog), std::nullopt);
    EXPECT_TRUE(dialog.is_open());
    EXPECT_GT(vertices, 0);

    EXPECT_EQ(frame(dialog, -1, "b"), std::nullopt);  // typed into the focused path field
    EXPECT_EQ(dialog.browser().typed(), "b");
    EXPECT_EQ(frame(dialog, 1), root / "b.aelab");  // Enter
    EXPECT_FALSE(dialog.is_open());
    EXPECT_EQ(dialog.browser().recent(), std::vector<fs::path>{root});
    EXPECT_EQ(frame(dialog), std::nullopt);  // once only
}

TEST_F(FileDialogFrames, TypedFolderNavigatesAndEscapeCancels) {
    write("sub/x.aelab");
    FileDialog dialog(".aelab");
    ASSERT_TRUE(dialog.browser().open_folder(root));
    dialog.open(FileMode::Open, "Open run");
    for (int i = 0; i < 3; ++i) frame(dialog);
    frame(dialog, -1, "sub");
    EXPECT_EQ(frame(dialog, 1), std::nullopt);
    EXPECT_EQ(dialog.browser().folder(), root / "sub");
    EXPECT_EQ(dialog.browser().typed(), "");
    EXPECT_TRUE(dialog.is_open());

    for (int i = 0; i < 3; ++i) frame(dialog);
    frame(dialog, -1, "x");  // the field took the focus back, so typing goes on
    EXPECT_EQ(dialog.browser().typed(), "x");
    EXPECT_EQ(frame(dialog, 2), std::nullopt);
    EXPECT_FALSE(dialog.is_open());
}

}  // namespace
