#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <limits>
#include <cstdio>
#include <cstring>

namespace aelab {

namespace {

constexpr const char* kTemporaryTag = ".tmp-";
// A save writes its temporary in well under a minute; an hour untouched is long dead.
constexpr time_t kStaleSeconds = 60 * 60;

std::string temporary_name(const std::string& path) {
    return path + kTemporaryTag + std::to_string(::getpid());
}

bool process_alive(pid_t pid) {
    // EPERM: alive, another user's. ESRCH: gone.
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

std::optional<Error> refuse_non_regular(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
        return Error{path + ": is not a regular file (" +
                     (S_ISDIR(info.st_mode) ? "a folder" : "a device, FIFO or socket") +
                     "); refusing to replace it"};
    return std::nullopt;
}

}  // namespace

int remove_stale_temporaries(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    const std::string prefix = target.filename().string() + kTemporaryTag;
    if (target.filename().empty()) return 0;
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    int removed = 0;
    const time_t now = ::time(nullptr);
    for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix)) continue;
        // Exactly our naming: decimal digits of a PID, nothing else (not "x.aelab.tmp-1.bak").
        const std::string digits = name.substr(prefix.size());
        long long pid = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
        if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
            pid <= 0 || pid > std::numeric_limits<pid_t>::max() || pid == ::getpid())
            continue;  // our own is the one this process writes (and truncates) next
        struct stat info {};
        if (::lstat(it->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
        if (process_alive(pid_t(pid)) && now - info.st_mtime < kStaleSeconds) continue;
        if (::unlink(it->path().c_str()) == 0) ++removed;
    }
    return removed;
}

std::optional<Error> check_can_write(const std::string& path) {
    if (path.empty()) return Error{"an empty file name"};
    if (auto error = refuse_non_regular(path)) return error;
    const std::string temporary = temporary_name(path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return Error{path + ": cannot be written (" + std::strerror(errno) + ")"};
    ::close(fd);
    ::unlink(temporary.c_str());
    return std::nullopt;
}

std::optional<Error> write_file_atomically(const std::string& path, std::string_view bytes) {
    if (auto error = refuse_non_regular(path)) return error;
    remove_stale_temporaries(path);
    const std::string temporary = temporary_name(path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{path + ": cannot be written (" + std::strerror(errno) + ")"};
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            ::unlink(temporary.c_str());
            return Error{path + ": cannot be written (" + reason + ")"};
        }
        done += size_t(wrote);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        return Error{path + ": cannot be written (" + reason + ")"};
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        return Error{path + ": cannot be replaced (" + reason + ")"};
    }
    return std::nullopt;
}

}  // namespace aelab
