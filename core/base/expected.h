// A value or an error message: how core reports environment errors (files, keys).
// Any thread. The message names the file or key and what is wrong with it.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "core/base/check.h"

namespace aelab {

struct Error {
    std::string message;
};

template <class T>
class Expected {
public:
    Expected(T value) : m_state(std::move(value)) {}
    Expected(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() {
        AELAB_CHECK(ok(), "value() of an error");
        return std::get<T>(m_state);
    }
    const T& value() const {
        AELAB_CHECK(ok(), "value() of an error");
        return std::get<T>(m_state);
    }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const std::string& error() const {
        AELAB_CHECK(!ok(), "error() of a value");
        return std::get<Error>(m_state).message;
    }

private:
    std::variant<T, Error> m_state;
};

}  // namespace aelab
