#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace aelab {

namespace {

std::string temporary_name(const std::string& path) {
    return path + ".tmp-" + std::to_string(::getpid());
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
