// Lessons ▸ Save this as a lesson step…: a dialog where a teacher turns the run on screen
// into a lesson step (core/lessons/lesson_writer.h): a title and a text, the file (a new
// lesson by its title, or one of the user's lessons to append to), and a watch line with a
// check on one of the numbers the window shows. The config, live knobs and open panels are
// taken as they are when Save is pressed. Lessons go to $XDG_DATA_HOME/aelab/lessons; a name
// that exists asks before it is replaced. GUI thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/panels/panel_context.h"
#include "core/lessons/lesson.h"

// The lessons a teacher saved ($XDG_DATA_HOME/aelab/lessons), sorted by file name, each read
// now; a file that does not load is named with why, and left out.
struct UserLessons {
    std::vector<std::shared_ptr<const aelab::Lesson>> lessons;
    std::vector<std::string> unreadable;
};
UserLessons read_user_lessons();

class LessonSaveDialog {
public:
    // Opens the dialog on the next draw (from a menu item: a popup opens outside the menu).
    void open() { m_open_requested = true; }
    // Every frame, at one ID level.
    void draw(PanelContext& ctx);

private:
    void start(const PanelContext& ctx);  // the dialog's fields, fresh, as it opens
    void draw_file_choice();
    void draw_check_choice(const PanelContext& ctx);
    void draw_buttons(PanelContext& ctx);
    void prefill_value(const PanelContext& ctx);
    std::string target_path() const;
    void save(PanelContext& ctx, bool replace);

    bool m_open_requested = false;
    bool m_focus_first = false;  // the first text field takes the keyboard on the next draw
    UserLessons m_user;          // read as the dialog opens
    int m_file = -1;             // -1: a new lesson; else an index into m_user.lessons
    std::string m_lesson_title, m_step_title, m_text;
    std::vector<std::string> m_metrics;  // live names of the check metrics shown now
    int m_metric = 0, m_comparison = 0;
    double m_value = 0;
    int m_steps = 2000;
    std::string m_ask_replace;  // the file whose replacing is being asked, or ""
    std::string m_error;
};
