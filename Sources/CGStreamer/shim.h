#include <gst/gst.h>
#include <gst/app/gstappsink.h>

// Macros and casts Swift cannot import, as small functions.
static inline GstAppSink *numeral_gst_app_sink(GstElement *element) { return GST_APP_SINK(element); }
static inline GstMessageType numeral_gst_message_type(GstMessage *message) { return GST_MESSAGE_TYPE(message); }
static inline const char *numeral_gst_message_source_name(GstMessage *message) {
    return GST_MESSAGE_SRC(message) ? GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) : "pipeline";
}
static inline GstClockTime numeral_gst_buffer_pts(GstBuffer *buffer) { return GST_BUFFER_PTS(buffer); }
static inline int numeral_gst_clock_time_is_valid(GstClockTime t) { return GST_CLOCK_TIME_IS_VALID(t); }
